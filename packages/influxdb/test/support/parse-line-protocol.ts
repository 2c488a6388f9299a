/**
 * A strict line-protocol reader, written from InfluxDB's reference (not from
 * the sink's writer, so that it can disagree with it): escapes `\,` `\ ` in
 * measurements, also `\=` in tag keys, tag values and field keys; string fields
 * escape `\"` and `\\` and may hold newlines; numbers, integers (`i`),
 * unsigned (`u`) and booleans as InfluxDB spells them. Blank lines and `#`
 * comments are skipped. Errors read as InfluxDB's: `unable to parse '<line>': <why>`.
 */

export type FieldValue =
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'integer'; readonly value: bigint }
  | { readonly type: 'unsigned'; readonly value: bigint }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'boolean'; readonly value: boolean };

export interface ParsedPoint {
  readonly measurement: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, FieldValue>>;
  /** As written, in the request's precision; undefined when the line has none. */
  readonly time: bigint | undefined;
}

const TRUE = new Set(['t', 'T', 'true', 'True', 'TRUE']);
const FALSE = new Set(['f', 'F', 'false', 'False', 'FALSE']);
const FLOAT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

class LineError extends Error {}

/** Every point of a body, and an error per line that is not line protocol. */
export function parseLineProtocol(text: string): { points: ParsedPoint[]; errors: string[] } {
  const points: ParsedPoint[] = [];
  const errors: string[] = [];
  let at = 0;
  while (at < text.length) {
    const start = at;
    if (text[at] === '\n' || text[at] === '#') {
      at = lineEnd(text, at) + 1;
      continue;
    }
    const reader = new Reader(text, at);
    try {
      points.push(reader.point());
      at = reader.at + 1;
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      const end = lineEnd(text, start);
      errors.push(`unable to parse '${text.slice(start, end)}': ${error.message}`);
      at = end + 1;
    }
  }
  return { points, errors };
}

const lineEnd = (text: string, from: number) => {
  const end = text.indexOf('\n', from);
  return end === -1 ? text.length : end;
};

class Reader {
  constructor(
    private readonly text: string,
    public at: number,
  ) {}

  point(): ParsedPoint {
    const measurement = this.name([',', ' '], [',', ' ']);
    if (measurement === '') throw new LineError('missing measurement');
    const tags: Record<string, string> = {};
    while (this.peek() === ',') {
      this.at++;
      const key = this.name(['=', ',', ' '], [',', '=', ' ']);
      if (this.peek() !== '=') throw new LineError('missing tag value');
      this.at++;
      const value = this.name([',', ' '], [',', '=', ' '], '=');
      if (key === '') throw new LineError('missing tag key');
      if (value === '') throw new LineError('missing tag value');
      tags[key] = value;
    }
    if (this.peek() !== ' ') throw new LineError('missing fields');
    this.spaces();
    const fields: Record<string, FieldValue> = {};
    for (;;) {
      const key = this.name(['=', ',', ' '], [',', '=', ' ']);
      if (this.peek() !== '=') throw new LineError(key ? 'missing field value' : 'missing fields');
      if (key === '') throw new LineError('missing field key');
      this.at++;
      fields[key] = this.fieldValue();
      if (this.peek() !== ',') break;
      this.at++;
    }
    let time: bigint | undefined;
    if (this.peek() === ' ') {
      this.spaces();
      const digits = this.until(['\n']);
      if (digits !== '') {
        if (!/^-?\d+$/.test(digits)) throw new LineError(`bad timestamp`);
        time = BigInt(digits);
      }
    }
    if (this.peek() !== '\n' && this.peek() !== undefined)
      throw new LineError('invalid line ending');
    return { measurement, tags, fields, time };
  }

  private peek(): string | undefined {
    return this.text[this.at];
  }

  private spaces() {
    while (this.peek() === ' ') this.at++;
  }

  private until(stops: readonly string[]): string {
    const from = this.at;
    while (this.peek() !== undefined && !stops.includes(this.peek() as string)) this.at++;
    return this.text.slice(from, this.at);
  }

  /** A name up to an unescaped stop (or a newline); `forbidden` unescaped is an error. */
  private name(stops: readonly string[], escapable: readonly string[], forbidden?: string): string {
    let out = '';
    for (;;) {
      const char = this.peek();
      if (char === undefined || char === '\n' || stops.includes(char)) return out;
      if (char === '\\' && escapable.includes(this.text[this.at + 1] ?? '')) {
        out += this.text[this.at + 1];
        this.at += 2;
        continue;
      }
      if (char === forbidden) throw new LineError('invalid tag format');
      out += char;
      this.at++;
    }
  }

  private fieldValue(): FieldValue {
    if (this.peek() === '"') return { type: 'string', value: this.quoted() };
    const token = this.until([',', ' ', '\n']);
    if (token === '') throw new LineError('missing field value');
    if (/^-?\d+i$/.test(token)) return { type: 'integer', value: BigInt(token.slice(0, -1)) };
    if (/^\d+u$/.test(token)) return { type: 'unsigned', value: BigInt(token.slice(0, -1)) };
    if (TRUE.has(token)) return { type: 'boolean', value: true };
    if (FALSE.has(token)) return { type: 'boolean', value: false };
    if (FLOAT.test(token)) return { type: 'float', value: Number(token) };
    throw new LineError(/^[-+.\d]/.test(token) ? 'invalid number' : 'invalid boolean');
  }

  /** A double-quoted string: `\"` and `\\` are escapes, other backslashes are kept. */
  private quoted(): string {
    this.at++;
    let out = '';
    for (;;) {
      const char = this.peek();
      if (char === undefined) throw new LineError('unbalanced quotes');
      if (char === '"') {
        this.at++;
        return out;
      }
      const next = this.text[this.at + 1];
      if (char === '\\' && (next === '"' || next === '\\')) {
        out += next;
        this.at += 2;
        continue;
      }
      out += char;
      this.at++;
    }
  }
}
