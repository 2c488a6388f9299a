import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GO_ZERO_TIME, goTimeString } from '../src/time.js';

/** The general path: through a Date, as goTimeString does for any other form. */
function viaDate(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return GO_ZERO_TIME;
  const [date = '', time = ''] = new Date(ms).toISOString().replace('Z', '').split('T');
  const [clock = '', fraction = '000'] = time.split('.');
  const digits = (/\.(\d{1,9})/.exec(iso)?.[1] ?? fraction).replace(/0+$/, '');
  return `${date} ${clock}${digits ? `.${digits}` : ''} +0000 UTC`;
}

describe("goTimeString's fast path for the API server's UTC times", () => {
  it('gives what the path through a Date gives, for any time and fraction', () => {
    const times = fc.tuple(
      fc.date({ min: new Date('1970-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }),
      fc.stringMatching(/^(\.\d{1,9})?$/),
    );
    fc.assert(
      fc.property(times, ([date, fraction]) => {
        const iso = `${date.toISOString().slice(0, 19)}${fraction}Z`;
        expect(goTimeString(iso)).toBe(viaDate(iso));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves other forms to the Date path: offsets, days a month lacks, no time', () => {
    expect(goTimeString('2024-05-01T12:00:00.250+02:00')).toBe('2024-05-01 10:00:00.25 +0000 UTC');
    expect(goTimeString('2023-02-29T10:00:00Z')).toBe(viaDate('2023-02-29T10:00:00Z'));
    expect(goTimeString('2024-05-01T25:00:00Z')).toBe(GO_ZERO_TIME);
    expect(goTimeString('not a time')).toBe(GO_ZERO_TIME);
  });
});
