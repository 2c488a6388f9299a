import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TRUNCATED_MARKER } from '../src/kit/truncate.js';
import { muteChatMarkdown } from '../src/template/chat-markup.js';
import { compileTemplate, type Template, TemplateError } from '../src/template/template.js';

// Fixed seeds: a failure names its case and replays the same way.
const SEED = 20_261_206;

/** Template sources: text (braces, newlines, CJK, emoji), tags, and broken tags. */
const piece = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.string({
      unit: fc.constantFrom('a', ' ', '{', '}', '\n', '"', 'é', '中', '🚀', '<', ']', '('),
      maxLength: 12,
    }),
  },
  {
    weight: 4,
    arbitrary: fc
      .constantFrom(
        '.Message',
        'message',
        '.Reason',
        '.InvolvedObject.Kind',
        'a.b',
        'missing',
        'count',
        'list',
        'obj',
        '.Big',
      )
      .map((path) => `{{ ${path} }}`),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '{{',
      '}}',
      '{{ if .Type }}',
      '{{ __proto__ }}',
      '{{ }}',
      '{{ a..b }}',
      '{{{ x }}}',
    ),
  },
);
const source = fc.array(piece, { maxLength: 40 }).map((pieces) => pieces.join(''));

/** A value, sometimes 100k units long, built cheaply: one character repeated. */
const bigText = fc
  .tuple(
    fc.constantFrom('m', '"', '\u0001', '中', '🚀', '<', '\\'),
    fc.oneof({ weight: 3, arbitrary: fc.nat({ max: 300 }) }, fc.nat({ max: 100_000 })),
  )
  .map(([char, n]) => char.repeat(Math.ceil(n / char.length)));

const roots = fc.record({
  message: fc.oneof(fc.string({ maxLength: 50 }), bigText),
  reason: fc.constantFrom('BackOff', '<font>x</font>', '[a](b)'),
  involvedObject: fc.record({ kind: fc.constantFrom('Pod', 'Node') }),
  count: fc.integer(),
  list: fc.array(fc.string({ maxLength: 5 }), { maxLength: 4 }),
  obj: fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  a: fc.record({ b: bigText }),
  big: bigText,
});

type Escape = 'none' | 'json' | ((text: string) => string);
const escapes = fc.constantFrom<Escape>('none', 'json', muteChatMarkdown);

function compileOrRefuse(text: string, escapeMode: Escape): Template | undefined {
  try {
    return compileTemplate(text, { escape: escapeMode });
  } catch (error) {
    // A bad template is refused with a TemplateError, never anything else.
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as Error).message.length).toBeLessThan(400);
    return undefined;
  }
}

describe('template fuzz (fast-check): compile and render stay bounded', () => {
  it('10,000 templates: the output never passes the limit, and a cut is a prefix of the whole', () => {
    const started = performance.now();
    let rendered = 0;
    fc.assert(
      fc.property(
        source,
        escapes,
        roots,
        fc.nat({ max: 5000 }),
        (text, escapeMode, values, limit) => {
          let escaped = 0;
          const counted: Escape =
            typeof escapeMode === 'string'
              ? escapeMode
              : (value) => {
                  escaped += value.length;
                  return escapeMode(value);
                };
          const template = compileOrRefuse(text, counted);
          if (!template) return;
          rendered++;
          const within = template.renderWithin(limit, [values]);
          expect(within.text.length).toBeLessThanOrEqual(limit);
          // A cut never leaves half an emoji.
          expect(within.text).not.toMatch(/[\uD800-\uDBFF]$/);
          // Escaping stops with the output: the limit and one look-ahead per tag, at most.
          expect(escaped).toBeLessThanOrEqual(limit + 16 * template.tags);
          // The whole output may be megabytes: a longer limit stands in for it.
          const longer = template.renderWithin(2 * limit + 64, [values]);
          if (within.cut) {
            expect(longer.text.length).toBeGreaterThan(limit);
            expect(longer.text.startsWith(within.text)).toBe(true);
          } else {
            expect(longer).toEqual(within);
          }
          const capped = compileTemplate(text, { escape: escapeMode, maxLength: limit }).render(
            values,
          );
          expect(capped).toBe(within.cut ? within.text + TRUNCATED_MARKER : within.text);
        },
      ),
      { numRuns: 10_000, seed: SEED },
    );
    expect(rendered).toBeGreaterThan(2000);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('compile time is linear: N tags (up to 50,000) in under 50 ms + 20 µs a tag', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 50_000 }),
        fc.constantFrom('\n', '', 'x }'),
        (n, filler) => {
          const text = `${filler}{{ .InvolvedObject.Name }}`.repeat(n);
          const started = performance.now();
          const template = compileTemplate(text);
          const ms = performance.now() - started;
          expect(template.tags).toBe(n);
          expect(ms).toBeLessThan(50 + n * 0.02);
        },
      ),
      { numRuns: 10, seed: SEED },
    );
  });

  it('muted chat text opens no tag or link, and reads the same', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('<', '>', '[', ']', '(', ')', '@', 'a', 'f', '/', '!', ' '),
          maxLength: 30,
        }),
        (text) => {
          const muted = muteChatMarkdown(text);
          expect(muted).not.toMatch(/<[A-Za-z@/!?]|\]\(|\]\[/);
          expect(muted.replaceAll('\u200b', '')).toBe(text);
        },
      ),
      { numRuns: 2000, seed: SEED },
    );
  });
});
