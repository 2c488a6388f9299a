import { describe, expect, it } from 'vitest';
import { escapeKey, escapeMeasurement, quoteString, toLine } from '../src/line-protocol.js';

describe('line protocol', () => {
  it('escapes measurements: commas and spaces, not = or /', () => {
    expect(escapeMeasurement('log/events')).toBe('log/events');
    expect(escapeMeasurement('a b,c=d')).toBe('a\\ b\\,c=d');
  });

  it('escapes tag keys, tag values and field keys: commas, spaces and =', () => {
    expect(escapeKey('sp ace,c=d')).toBe('sp\\ ace\\,c\\=d');
    // A backslash inside is kept as is: InfluxDB 1.x reads it literally.
    expect(escapeKey('a\\b')).toBe('a\\b');
    expect(escapeKey('中文 ✓')).toBe('中文\\ ✓');
  });

  it('turns newlines in keys into spaces: the protocol has no escape for them', () => {
    expect(escapeKey('two\nlines\r\nhere')).toBe('two\\ lines\\ here');
  });

  it('quotes string fields, escaping " and \\ only (newlines and CJK stay)', () => {
    expect(quoteString('say "hi" \\ bye\n中文')).toBe('"say \\"hi\\" \\\\ bye\n中文"');
  });

  it('writes a point: tags sorted, empty ones left out, integers with i', () => {
    const line = toLine({
      measurement: 'events',
      tags: { uid: 'u1', empty: '', kind: 'Pod' },
      fields: { message: 'm', count: 3, ratio: 0.5, ok: true },
      time: 1_700_000_000_000_000_123n,
    });
    expect(line).toBe(
      'events,kind=Pod,uid=u1 message="m",count=3i,ratio=0.5,ok=true 1700000000000000123',
    );
  });

  it("drops a tag value's trailing backslashes, which InfluxDB cannot parse", () => {
    const line = toLine({
      measurement: 'm',
      tags: { path: 'C:\\dir\\' },
      fields: { v: 1 },
      time: 1n,
    });
    expect(line).toBe('m,path=C:\\dir v=1i 1');
  });
});
