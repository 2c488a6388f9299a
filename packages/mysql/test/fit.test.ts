import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fit } from '../src/insert.js';

const varchar255 = { name: 'message', maxChars: 255, maxBytes: 1020, bmpOnly: false };

describe('fit counts characters as MySQL does (code points), without counting every text', () => {
  it('keeps 200 emoji (400 UTF-16 units) whole in a varchar(255)', () => {
    expect(fit('😀'.repeat(200), varchar255)).toBe('😀'.repeat(200));
  });

  it('cuts exactly the texts with more than 255 code points, whatever their UTF-16 length', () => {
    // size 'max': lengths across the whole range, not just near minLength.
    const text = fc
      .array(fc.constantFrom('a', '中', '😀'), { minLength: 120, maxLength: 400, size: 'max' })
      .map((units) => units.join(''));
    fc.assert(
      fc.property(text, (value) => {
        const out = fit(value, varchar255) as string;
        if ([...value].length <= 255) expect(out).toBe(value);
        else expect([...out]).toHaveLength(255);
      }),
      { numRuns: 500 },
    );
  });
});
