import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeKey, escapeMeasurement, quoteString } from '../src/line-protocol.js';

// The escapes as plain regex replaces: what the fast paths must keep giving.
const noNewlines = (text: string) => text.replace(/\r\n|[\r\n]/g, ' ');
const reference = {
  measurement: (name: string) => noNewlines(name).replace(/[, ]/g, '\\$&'),
  key: (key: string) => noNewlines(key).replace(/[,= ]/g, '\\$&'),
  quoted: (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`,
};

// Texts rich in what the protocol escapes, and plain ones.
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'Z', '中', ' ', ',', '=', '"', '\\', '\n', '\r', '/') }),
  fc.string({ unit: 'grapheme' }),
  fc.json(),
);

describe('line protocol escapes: fast paths', () => {
  it('give what one regex replace gives, for any text', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(escapeMeasurement(value)).toBe(reference.measurement(value));
        expect(escapeKey(value)).toBe(reference.key(value));
        expect(quoteString(value)).toBe(reference.quoted(value));
      }),
      { numRuns: 3000 },
    );
  });
});
