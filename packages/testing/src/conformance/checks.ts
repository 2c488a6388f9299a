import assert from 'node:assert/strict';
import {
  type AnySinkDefinition,
  isSinkError,
  type KubeEvent,
  normalizeEvent,
  type Sink,
  type SinkError,
} from '@keventer/core';
import { eventFailureProblems, isPartialWriteError } from '@keventer/core/kit';
import { buildEvent } from '../builders.js';
import { optionChecks } from './options-checks.js';
import { FakeHttpReceiver, type ReceiverAnswer } from './receiver.js';

/** A sink under the conformance suite, with how its service answers. */
export interface SinkConformanceCase {
  /** The sink as `defineSink` made it: callable with options. */
  readonly definition: AnySinkDefinition & ((...args: never[]) => Promise<Sink>);
  /** Options of a working sink that sends to `receiverUrl`. */
  readonly options: (receiverUrl: string) => Record<string, unknown>;
  /** Invalid option sets and the error each must give. */
  readonly invalidOptions?: ReadonlyArray<{
    readonly options: (receiverUrl: string) => Record<string, unknown>;
    readonly error: RegExp;
  }>;
  /** How the service answers; plain HTTP semantics (200, 503, 429 + Retry-After, 400) by default. */
  readonly answers?: {
    readonly ok?: ReceiverAnswer;
    readonly retryable?: ReceiverAnswer;
    readonly retryAfter?: { readonly answer: ReceiverAnswer; readonly retryAfterMs: number };
    readonly permanent?: ReceiverAnswer;
    /**
     * For a service that answers per event (a bulk API): its answer to a batch
     * of 4 sample events (PARTIAL_BATCH_SIZE) that accepts some and refuses
     * others, and which of them (by index) it refuses, retryably or not.
     */
    readonly partial?: {
      readonly answer: ReceiverAnswer;
      readonly failed: ReadonlyArray<{ readonly index: number; readonly retryable: boolean }>;
    };
  };
  /** Option values that must never appear in an error message (tokens, passwords, keys). */
  readonly secrets?: readonly string[];
}

/** One conformance check: throws (an AssertionError) when the sink does not conform. */
export interface ConformanceCheck {
  readonly name: string;
  run(context: ConformanceContext): Promise<void>;
}

export interface ConformanceContext {
  readonly receiver: FakeHttpReceiver;
  readonly testCase: SinkConformanceCase;
}

const OK: ReceiverAnswer = { status: 200, body: '{}' };
const RETRYABLE: ReceiverAnswer = { status: 503, body: '{"error":"unavailable"}' };
const RETRY_AFTER = {
  answer: { status: 429, headers: { 'retry-after': '7' }, body: '{}' },
  retryAfterMs: 7000,
};
const PERMANENT: ReceiverAnswer = { status: 400, body: '{"error":"bad request"}' };
/** The batch the `answers.partial` answer is given to. */
export const PARTIAL_BATCH_SIZE = 4;

export function sampleEvents(count: number): KubeEvent[] {
  return Array.from({ length: count }, (_, i) =>
    normalizeEvent(
      buildEvent({
        type: 'Warning',
        reason: 'BackOff',
        message: `Back-off restarting failed container "app" \\ line ${i}\n中文 ✓`,
        involvedObject: { kind: 'Pod', namespace: 'shop', name: `web-${i}` },
      }),
    ),
  );
}

/** Creates the sink; options are loosely typed on purpose (the suite also passes invalid ones). */
function create(testCase: SinkConformanceCase, options: Record<string, unknown>): Promise<Sink> {
  const factory = testCase.definition as unknown as (
    options: Record<string, unknown>,
  ) => Promise<Sink>;
  return factory(options);
}

async function sinkFor({ receiver, testCase }: ConformanceContext): Promise<Sink> {
  return create(testCase, testCase.options(receiver.url));
}

/** Writes and returns the SinkError it must fail with (an assertion error otherwise). */
export async function failingWrite(sink: Sink, events: KubeEvent[]): Promise<SinkError> {
  const error = await sink.write(events, { signal: AbortSignal.timeout(10_000) }).then(
    () => assert.fail('write resolved although the service answered with an error'),
    (err: unknown) => err,
  );
  assert.ok(isSinkError(error), `write must reject with a SinkError, got ${String(error)}`);
  return error as SinkError;
}

function assertNoSecrets(testCase: SinkConformanceCase, error: Error): void {
  for (const secret of testCase.secrets ?? []) {
    assert.ok(
      !error.message.includes(secret),
      `an error message contains the secret ${secret.slice(0, 2)}…`,
    );
    assert.ok(!String(error.stack).includes(secret), 'an error stack contains a secret');
  }
}

export const conformanceChecks: readonly ConformanceCheck[] = [
  {
    name: 'refuses an unknown option, naming it',
    async run({ receiver, testCase }) {
      const options = { ...testCase.options(receiver.url), no_such_option: 'x' };
      await assert.rejects(create(testCase, options), /no_such_option/);
    },
  },
  {
    name: 'refuses invalid options with a clear error',
    async run({ receiver, testCase }) {
      for (const invalid of testCase.invalidOptions ?? []) {
        await assert.rejects(create(testCase, invalid.options(receiver.url)), invalid.error);
      }
    },
  },
  {
    name: 'delivers one event',
    async run(context) {
      const sink = await sinkFor(context);
      await sink.write(sampleEvents(1), { signal: AbortSignal.timeout(10_000) });
      assert.ok(context.receiver.requests.length >= 1, 'no request reached the service');
      await sink.close?.();
    },
  },
  {
    name: 'delivers a batch',
    async run(context) {
      const sink = await sinkFor(context);
      await sink.write(sampleEvents(10), { signal: AbortSignal.timeout(10_000) });
      assert.ok(context.receiver.requests.length >= 1, 'no request reached the service');
      await sink.close?.();
    },
  },
  {
    name: 'reports a retryable failure as retryable, after one request (no retry inside the sink)',
    async run(context) {
      const sink = await sinkFor(context);
      context.receiver.defaultAnswer = context.testCase.answers?.retryable ?? RETRYABLE;
      const error = await failingWrite(sink, sampleEvents(1));
      assert.equal(error.retryable, true, `expected retryable, got: ${error.message}`);
      assert.equal(context.receiver.requests.length, 1, 'the sink retried by itself');
      assertNoSecrets(context.testCase, error);
    },
  },
  {
    name: "passes the server's Retry-After through",
    async run(context) {
      const sink = await sinkFor(context);
      const { answer, retryAfterMs } = context.testCase.answers?.retryAfter ?? RETRY_AFTER;
      context.receiver.defaultAnswer = answer;
      const error = await failingWrite(sink, sampleEvents(1));
      assert.equal(error.retryable, true);
      assert.equal(error.retryAfterMs, retryAfterMs);
    },
  },
  {
    name: 'reports a permanent failure as permanent, without a retry',
    async run(context) {
      const sink = await sinkFor(context);
      context.receiver.defaultAnswer = context.testCase.answers?.permanent ?? PERMANENT;
      const error = await failingWrite(sink, sampleEvents(1));
      assert.equal(error.retryable, false, `expected permanent, got: ${error.message}`);
      assert.equal(context.receiver.requests.length, 1, 'the sink retried by itself');
      assertNoSecrets(context.testCase, error);
    },
  },
  {
    name: 'reports a per-event answer as a partial failure: each failed event once, by its index',
    async run(context) {
      const partial = context.testCase.answers?.partial;
      if (!partial) return; // the service answers for the whole batch only
      const sink = await sinkFor(context);
      context.receiver.defaultAnswer = partial.answer;
      const batch = sampleEvents(PARTIAL_BATCH_SIZE);
      const error = await failingWrite(sink, batch);
      assert.ok(
        isPartialWriteError(error),
        `a per-event answer must be thrown as partialFailure(sink, batch, failures), got: ${error.message}`,
      );
      const problems = eventFailureProblems(batch.length, error.failures);
      assert.deepEqual(problems, [], `the partial report cannot be used: ${problems.join('; ')}`);
      const reported = error.failures
        .map((f) => ({ index: f.index, retryable: f.error.retryable }))
        .sort((a, b) => a.index - b.index);
      const expected = [...partial.failed].sort((a, b) => a.index - b.index);
      assert.deepEqual(reported, expected, 'the failed events or their retryability differ');
      assert.equal(context.receiver.requests.length, 1, 'the sink retried by itself');
      assertNoSecrets(context.testCase, error);
      for (const failure of error.failures) assertNoSecrets(context.testCase, failure.error);
      // What the engine does next: the retryable ones alone, in a smaller batch.
      const retry = error.failures.flatMap((f) =>
        f.error.retryable ? (batch[f.index] ?? []) : [],
      );
      if (retry.length === 0) return;
      context.receiver.defaultAnswer = context.testCase.answers?.ok ?? OK;
      await sink.write(retry, { signal: AbortSignal.timeout(10_000) });
      await sink.close?.();
    },
  },
  {
    name: 'follows no redirect: a 307 is permanent and nothing goes where it points',
    async run(context) {
      const sink = await sinkFor(context);
      const location = `${context.receiver.url}/redirected`;
      context.receiver.defaultAnswer = { status: 307, headers: { location }, body: '' };
      const error = await failingWrite(sink, sampleEvents(1));
      assert.equal(error.retryable, false, `expected permanent, got: ${error.message}`);
      assert.match(error.message, /redirect/, 'the error does not say it was a redirect');
      const followed = context.receiver.requests.filter((r) => r.url.startsWith('/redirected'));
      assert.equal(followed.length, 0, 'the sink followed the redirect');
      assertNoSecrets(context.testCase, error);
    },
  },
  {
    name: 'reads a bounded answer: an endless body neither holds the write nor fills the heap',
    async run(context) {
      const sink = await sinkFor(context);
      context.receiver.defaultAnswer = 'endless';
      const started = performance.now();
      await sink.write(sampleEvents(1), { signal: AbortSignal.timeout(5000) }).catch(() => {});
      const ms = Math.round(performance.now() - started);
      assert.ok(ms < 3000, `the write took ${ms} ms: it kept reading the endless answer`);
      // What the sockets buffer in between, not what the sink kept: a few MiB.
      const mib = context.receiver.bytesSent / 2 ** 20;
      assert.ok(mib < 64, `the sink read ${mib.toFixed(0)} MiB of the endless answer`);
    },
  },
  {
    name: 'keeps its secrets out of errors when the service echoes the request back',
    async run(context) {
      const sink = await sinkFor(context);
      context.receiver.defaultAnswer = 'echo';
      const error = await failingWrite(sink, sampleEvents(1));
      assertNoSecrets(context.testCase, error);
    },
  },
  {
    name: 'settles promptly when the signal aborts',
    async run(context) {
      const sink = await sinkFor(context);
      const started = Date.now();
      await sink.write(sampleEvents(1), { signal: AbortSignal.abort() }).catch(() => {});
      assert.ok(Date.now() - started < 2000, 'write ignored an aborted signal');
    },
  },
  {
    name: 'close() resolves after the last write',
    async run(context) {
      const sink = await sinkFor(context);
      await sink.write(sampleEvents(2), { signal: AbortSignal.timeout(10_000) });
      const requests = context.receiver.requests.length;
      await sink.close?.();
      assert.equal(context.receiver.requests.length, requests, 'close() sent more requests');
    },
  },
  ...optionChecks,
];

/** Runs every check against a fresh receiver; resolves with one result per check. */
export async function runSinkConformance(
  testCase: SinkConformanceCase,
): Promise<Array<{ name: string; error?: Error }>> {
  const results: Array<{ name: string; error?: Error }> = [];
  for (const check of conformanceChecks) {
    const receiver = await FakeHttpReceiver.start(testCase.answers?.ok ?? OK);
    try {
      await check.run({ receiver, testCase });
      results.push({ name: check.name });
    } catch (error) {
      results.push({ name: check.name, error: error as Error });
    } finally {
      await receiver.close();
    }
  }
  return results;
}
