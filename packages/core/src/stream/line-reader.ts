const NEWLINE = 0x0a;
const EMPTY = Buffer.alloc(0);

/** A line grew past the reader's bound before its newline came. */
export class LineTooLongError extends Error {
  override readonly name = 'LineTooLongError';

  constructor(
    /** Bytes of the line read so far (it is longer than that, or endless). */
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(`watch line too long: more than ${maxBytes} bytes (${bytes} read without a newline)`);
  }
}

/**
 * Splits a byte stream into newline-terminated lines, holding at most
 * `maxLineBytes` of an unfinished line. Each byte is scanned once: the search
 * for '\n' starts where the last one stopped, never at the line's start again.
 * Splitting bytes (not text) on 0x0A is safe for UTF-8, whose multi-byte
 * characters never contain that byte; each line is decoded whole.
 *
 * Push a chunk, then take lines with {@link nextLine} until it returns
 * undefined, then push the next chunk.
 */
export class LineReader {
  readonly maxLineBytes: number;
  /** The chunk being split, from `#offset` on. */
  #chunk: Buffer = EMPTY;
  #offset = 0;
  /** The start of an unfinished line, from earlier chunks. */
  #parts: Buffer[] = [];
  #partBytes = 0;
  /** After an over-long line: drop bytes until its newline. */
  #skipping = false;

  constructor(maxLineBytes: number) {
    this.maxLineBytes = maxLineBytes;
  }

  /** Bytes held for the unfinished line (never more than `maxLineBytes`). */
  get bufferedBytes(): number {
    return this.#partBytes;
  }

  /** Adds the next chunk. The previous one must have been read to its end (nextLine() returned undefined). */
  push(chunk: Buffer): void {
    if (this.#offset < this.#chunk.length) {
      throw new Error('LineReader.push: the previous chunk still has lines to read');
    }
    this.#chunk = chunk;
    this.#offset = 0;
  }

  /**
   * The next complete line (without its '\n'), or undefined when the chunk
   * holds no more. Throws {@link LineTooLongError} once per over-long line, as
   * soon as it passes the bound; the reader then skips to that line's end.
   */
  nextLine(): string | undefined {
    const chunk = this.#chunk;
    const start = this.#offset;
    const end = chunk.indexOf(NEWLINE, start);
    if (end === -1) {
      this.#offset = chunk.length;
      this.#hold(chunk.subarray(start));
      return undefined;
    }
    this.#offset = end + 1;
    if (this.#skipping) {
      this.#skipping = false;
      return this.nextLine();
    }
    if (this.#partBytes + (end - start) > this.maxLineBytes) {
      this.#tooLong(this.#partBytes + (end - start), false); // its newline is read: nothing to skip
    }
    if (this.#parts.length === 0) return chunk.toString('utf8', start, end);
    const line = Buffer.concat([...this.#parts, chunk.subarray(start, end)]).toString('utf8');
    this.#parts = [];
    this.#partBytes = 0;
    return line;
  }

  /** Keeps the start of an unfinished line, within the bound. */
  #hold(piece: Buffer): void {
    if (this.#skipping || piece.length === 0) return;
    const bytes = this.#partBytes + piece.length;
    if (bytes > this.maxLineBytes) this.#tooLong(bytes, true);
    // A copy: the chunk's memory may be a slice of a larger pooled buffer.
    this.#parts.push(Buffer.from(piece));
    this.#partBytes = bytes;
  }

  #tooLong(bytes: number, skipRest: boolean): never {
    this.#parts = [];
    this.#partBytes = 0;
    this.#skipping = skipRest;
    throw new LineTooLongError(bytes, this.maxLineBytes);
  }
}
