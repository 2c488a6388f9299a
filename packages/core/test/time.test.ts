import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimeMs } from '../src/event/time.js';

const same = (text: string): void => {
  expect(Object.is(parseTimeMs(text), Date.parse(text)), text).toBe(true);
};

describe('parseTimeMs', () => {
  it('answers exactly as Date.parse for every valid time of both forms', () => {
    const dates = fc.date({
      min: new Date('0000-01-01'),
      max: new Date('9999-12-31'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(dates, (date) => {
        const iso = date.toISOString();
        same(iso);
        same(`${iso.slice(0, 19)}Z`);
      }),
      { numRuns: 5000 },
    );
  });

  it('answers exactly as Date.parse for mangled times', () => {
    const digitsOrJunk = fc.constantFrom(...'0123456789x:-.TZ '.split(''));
    const mangled = fc
      .tuple(fc.date({ noInvalidDate: true }), fc.nat(23), digitsOrJunk)
      .map(([date, at, char]) => {
        const iso = date.toISOString().replace(/^[+-]\d+/, '2026');
        return iso.slice(0, at) + char + iso.slice(at + 1);
      });
    fc.assert(fc.property(mangled, same), { numRuns: 5000 });
    for (const text of [
      '2026-02-29T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T00:00:60Z',
      '',
    ]) {
      same(text);
    }
  });
});
