import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineReader, LineTooLongError } from '../src/stream/line-reader.js';

const TOO_LONG = Symbol('too long');
type Out = string | typeof TOO_LONG;

/** What the reader must produce: a plain split of the whole stream on '\n', each line decoded whole. */
function referenceSplit(bytes: Buffer, maxLineBytes: number): Out[] {
  const out: Out[] = [];
  let start = 0;
  for (;;) {
    const end = bytes.indexOf(0x0a, start);
    if (end === -1) break;
    out.push(end - start > maxLineBytes ? TOO_LONG : bytes.toString('utf8', start, end));
    start = end + 1;
  }
  if (bytes.length - start > maxLineBytes) out.push(TOO_LONG); // unfinished, already too long
  return out;
}

/** Feeds `chunks` to a reader, checking after every step that it holds no more than its bound. */
function readAll(chunks: readonly Buffer[], maxLineBytes: number): Out[] {
  const reader = new LineReader(maxLineBytes);
  const out: Out[] = [];
  for (const chunk of chunks) {
    reader.push(chunk);
    for (;;) {
      let line: string | undefined | typeof TOO_LONG;
      try {
        line = reader.nextLine();
      } catch (error) {
        if (!(error instanceof LineTooLongError)) throw error;
        expect(error.bytes).toBeGreaterThan(maxLineBytes);
        line = TOO_LONG;
      }
      if (reader.bufferedBytes > maxLineBytes) {
        throw new Error(`holds ${reader.bufferedBytes} bytes, bound ${maxLineBytes}`);
      }
      if (line === undefined) break;
      out.push(line);
    }
  }
  return out;
}

/** Cuts `bytes` at the given (sorted, deduplicated) positions. */
function chunked(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(from, point));
    from = point;
  }
  return chunks;
}

// Text with multi-byte characters, newlines, and raw bytes (invalid UTF-8 included).
const piece = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }).map((s) => Buffer.from(s, 'utf8')),
  fc.constant(Buffer.from('\n')),
  fc.constantFrom('é', '€', '😀', '中文').map((s) => Buffer.from(s, 'utf8')),
  fc.uint8Array({ maxLength: 6 }).map((a) => Buffer.from(a)),
);
const stream = fc.array(piece, { maxLength: 24 }).map((pieces) => Buffer.concat(pieces));

describe('LineReader', () => {
  it('splits any chunking of any byte stream like a plain split, within its bound (10,000 cases)', () => {
    const started = performance.now();
    fc.assert(
      fc.property(
        stream,
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.integer({ min: 1, max: 40 }),
        (bytes, cuts, maxLineBytes) => {
          expect(readAll(chunked(bytes, cuts), maxLineBytes)).toEqual(
            referenceSplit(bytes, maxLineBytes),
          );
        },
      ),
      { numRuns: 10_000 },
    );
    expect(performance.now() - started).toBeLessThan(4000);
  });

  it('splits a multi-byte character cut across chunks', () => {
    const bytes = Buffer.from('a€b\n😀\n');
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(readAll([bytes.subarray(0, cut), bytes.subarray(cut)], 64)).toEqual(['a€b', '😀']);
    }
  });

  it('scans each byte once: a 32 MiB line in 64 KiB chunks, then many short lines, in linear time', () => {
    const chunk = Buffer.alloc(64 * 1024, 'x'.charCodeAt(0));
    const reader = new LineReader(64 * 1024 * 1024);
    const started = performance.now();
    for (let i = 0; i < 512; i++) {
      reader.push(chunk);
      expect(reader.nextLine()).toBeUndefined();
    }
    reader.push(Buffer.from('\n'));
    expect(reader.nextLine()?.length).toBe(32 * 1024 * 1024);
    const short = Buffer.from('{"type":"BOOKMARK"}\n'.repeat(1000));
    let lines = 0;
    for (let i = 0; i < 100; i++) {
      reader.push(short);
      while (reader.nextLine() !== undefined) lines++;
    }
    expect(lines).toBe(100_000);
    // Quadratic rescanning took seconds for this (29 s for a 50 MiB line).
    expect(performance.now() - started).toBeLessThan(2500);
  });

  it('refuses an endless line as soon as it passes the bound, holding no more than the bound', () => {
    const reader = new LineReader(1000);
    const chunk = Buffer.alloc(300, 'y'.charCodeAt(0));
    let error: unknown;
    let pushed = 0;
    while (!error) {
      reader.push(chunk);
      pushed += chunk.length;
      try {
        reader.nextLine();
      } catch (e) {
        error = e;
      }
      expect(reader.bufferedBytes).toBeLessThanOrEqual(1000);
    }
    expect(error).toBeInstanceOf(LineTooLongError);
    expect((error as LineTooLongError).bytes).toBe(1200);
    expect(pushed).toBe(1200);
    // The rest of that line is skipped; the next line comes out whole.
    reader.push(Buffer.from('yyy\n{"ok":1}\n'));
    expect(reader.nextLine()).toBe('{"ok":1}');
    expect(reader.nextLine()).toBeUndefined();
  });
});
