import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeenOccurrences } from '../src/stream/seen.js';

describe('SeenOccurrences', () => {
  it('keeps the latest mark per uid and refuses older ones', () => {
    const seen = new SeenOccurrences(10);
    seen.record('a', { count: 2, lastMs: 5 });
    seen.record('a', { count: 1, lastMs: 9 });
    expect(seen.get('a')).toEqual({ count: 2, lastMs: 5 });
    expect(seen.isNew('a', { count: 2, lastMs: 5 })).toBe(false);
    expect(seen.isNew('a', { count: 2, lastMs: 6 })).toBe(true);
    expect(seen.isNew('b', { count: 1, lastMs: 0 })).toBe(true);
  });

  it('never holds more than its capacity, and keeps what is used', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 2000 }), (uids) => {
        const seen = new SeenOccurrences(50);
        seen.record('hot', { count: 1, lastMs: 1 });
        for (const uid of uids) {
          seen.record('hot', { count: 1, lastMs: 1 }); // touched on every step: never forgotten
          seen.record(String(uid), { count: 1, lastMs: 1 });
          expect(seen.size).toBeLessThanOrEqual(50);
        }
        expect(seen.get('hot')).toBeDefined();
        let entries = 0;
        seen.forEach(() => {
          entries++;
        });
        expect(entries).toBe(seen.size);
      }),
    );
  });

  it('forgets a uid on request', () => {
    const seen = new SeenOccurrences(4);
    seen.record('a', { count: 1, lastMs: 1 });
    seen.forget('a');
    expect(seen.get('a')).toBeUndefined();
    expect(() => new SeenOccurrences(1)).toThrow(/capacity must be >= 2, got 1/);
  });
});

describe('SeenOccurrences slots', () => {
  it('keeps marks apart after a uid is forgotten', () => {
    const seen = new SeenOccurrences(8);
    seen.record('a', { count: 1, lastMs: 10 });
    seen.record('b', { count: 2, lastMs: 20 });
    seen.forget('a');
    seen.record('c', { count: 3, lastMs: 30 });
    expect(seen.get('b')).toEqual({ count: 2, lastMs: 20 });
    expect(seen.get('c')).toEqual({ count: 3, lastMs: 30 });
  });
});

describe('SeenOccurrences.record', () => {
  it('says whether the mark was new, across a generation change', () => {
    const seen = new SeenOccurrences(4); // generations of 2
    expect(seen.record('a', { count: 1, lastMs: 1 })).toBe(true);
    expect(seen.record('b', { count: 1, lastMs: 1 })).toBe(true);
    expect(seen.record('c', { count: 1, lastMs: 1 })).toBe(true); // a, b now older
    expect(seen.record('a', { count: 1, lastMs: 1 })).toBe(false); // moved to recent, kept
    expect(seen.get('a')).toEqual({ count: 1, lastMs: 1 });
    expect(seen.record('d', { count: 1, lastMs: 1 })).toBe(true); // c, a older; b dropped
    expect(seen.get('b')).toBeUndefined();
    expect(seen.record('a', { count: 2, lastMs: 1 })).toBe(true);
    expect(seen.get('a')).toEqual({ count: 2, lastMs: 1 });
  });
});
