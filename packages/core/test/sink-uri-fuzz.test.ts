import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isSinkError, SinkConfigError } from '../src/sink/contract/errors.js';
import { defineSink } from '../src/sink/define/define-sink.js';
import { option } from '../src/sink/options/options.js';
import { unregisterSink } from '../src/sink/uri/registry.js';
import { parseSinkUri } from '../src/sink/uri/uri.js';

/**
 * The URI parser, option parsing and redaction on generated URIs, some of
 * them a few hundred KB of the repetitions that made redaction quadratic.
 * Not only "no crash": every case is timed, no printed or thrown text holds
 * the secret, and errors stay bounded.
 */

const SCHEME = 'fuzzsink';
// Secrets are upper case; the noise around them never is, so a secret found
// in the output can only have come from the secret.
const secretArb = fc.stringMatching(/^[A-Z]{10,24}$/).map((s) => `ZQ${s}`);
const noiseChar = fc.constantFrom(
  ...'abcxyz0189 -_.~:/?#[]@!$&\'()*+,;=%"<>{}|\\^`\n\t'.split(''),
  'é',
  '中',
  '\u{1F600}',
);
const noise = (max: number) => fc.string({ unit: noiseChar, maxLength: max });
// The shapes that made the old patterns backtrack.
const hostileUnit = fc.constantFrom(
  'a.',
  'a-',
  'x=',
  '&',
  '%',
  '%2',
  '"k":"',
  ':',
  '@',
  '//',
  'a:',
);
const large = fc
  .tuple(hostileUnit, fc.integer({ min: 10_000, max: 300_000 }))
  .map(([unit, chars]) => unit.repeat(Math.ceil(chars / unit.length)));

const secretPiece = (secret: string) =>
  fc.constantFrom(
    `token=${secret}`,
    `sing=${secret}`,
    `header=X-Auth-Key=${secret}`,
    `header=Authorization:Bearer%20${secret}`,
    `header=Ocp-Apim-Subscription-Key%3D${secret}`,
    `x=\${a${secret}`,
    `token=${encodeURIComponent(secret)}&token=${secret}`,
  );

const uriArb = fc
  .tuple(
    secretArb,
    fc.constantFrom('', 'https://h.example/hook', 'http://u:p@h/x', '//h', 'h:5555'),
    fc.array(
      fc.oneof(
        { weight: 360, arbitrary: noise(40) },
        {
          weight: 120,
          arbitrary: fc.constantFrom('level=info', 'level=bogus', 'label=a,b', 'batch.maxEvents=5'),
        },
        { weight: 1, arbitrary: large },
      ),
      { maxLength: 6 },
    ),
    fc.integer({ min: 0, max: 6 }),
  )
  .chain(([secret, target, pieces, at]) =>
    secretPiece(secret).map((piece) => {
      const all = [...pieces];
      all.splice(Math.min(at, all.length), 0, piece);
      return { secret, uri: `${SCHEME}:${target}?${all.join('&')}` };
    }),
  );

const definition = defineSink({
  scheme: SCHEME,
  description: 'a sink with secrets under names no generic rule knows',
  options: {
    endpoint: option.url({ description: 'target' }),
    token: option.string({ description: 'the secret', secret: true }),
    header: option.list({ description: 'headers', secret: true, split: false }),
    level: option.enum(['info', 'warn'], { description: 'level', default: 'info' }),
    label: option.list({ description: 'labels' }),
  },
  create: (o) => ({
    name: SCHEME,
    // A server that echoes what it got.
    async write() {
      throw new Error(`401: unknown token ${o.token ?? ''} for ${String(o.header ?? '')}`);
    },
  }),
});
afterAll(() => unregisterSink(SCHEME));

// Generous for a shared CI machine; the quadratic redaction took 3 s for 80 KB.
const budgetMs = (chars: number) => 200 + chars / 500;
const NEVER = new AbortController().signal;
const MAX_ERROR_CHARS = 20 * 420 + 1024;

describe('fuzz: parseSinkUri, option parsing and redaction', () => {
  it('10,000 URIs: bounded time, bounded errors, the secret never shown', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    let slowest = 0;
    const details = await fc.check(
      fc.asyncProperty(uriArb, async ({ secret, uri }) => {
        const started = performance.now();
        const shown: string[] = [];
        try {
          const parsed = parseSinkUri(uri, { env: {} });
          shown.push(parsed.toString(), inspect(parsed), JSON.stringify(parsed));
          const sink = await definition.fromUri(parsed, { env: {} });
          const failure = await sink.write([], { signal: NEVER }).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(isSinkError(failure)).toBe(true);
          shown.push(String((failure as Error).message), String((failure as Error).stack));
        } catch (error) {
          expect(error).toBeInstanceOf(SinkConfigError);
          const e = error as SinkConfigError;
          expect(e.message.length).toBeLessThan(MAX_ERROR_CHARS);
          shown.push(e.message, String(e.stack), e.problems.join('\n'), e.uri ?? '');
        }
        const ms = performance.now() - started;
        slowest = Math.max(slowest, ms);
        expect(ms, `${uri.length} chars took ${ms} ms`).toBeLessThan(budgetMs(uri.length));
        for (const text of shown) expect(text).not.toContain(secret);
      }),
      { numRuns: 10_000, seed: 20260608, endOnFailure: true },
    );
    // fast-check's own report would print a 300 KB counterexample.
    if (details.failed) {
      const example = JSON.stringify(details.counterexample).slice(0, 300);
      expect.fail(`${String(details.errorInstance)} for ${example}… (seed ${details.seed})`);
    }
    expect(details.numRuns).toBe(10_000);
    // Nothing grows with the inputs: 10,000 cases, some of 300 KB, leave the heap near where it was.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(256 * 2 ** 20);
    // For the record: the slowest case (a few hundred KB).
    expect(slowest).toBeLessThan(budgetMs(400_000));
  }, 30_000);
});
