/**
 * SLS's LogGroup in protobuf (its 4 messages, written by hand: a dozen lines
 * of varints and length prefixes, no runtime or generated code):
 *
 *   LogGroup { repeated Log Logs = 1; optional string Topic = 3; optional string Source = 4; (LogTags = 6: none) }
 *   Log      { required uint32 Time = 1; repeated Content Contents = 2; }
 *   Content  { required string Key = 1; required string Value = 2; }
 */

export interface SlsLog {
  /** Seconds since the epoch. */
  readonly time: number;
  readonly contents: ReadonlyArray<readonly [key: string, value: string]>;
}

function varintLength(value: number): number {
  let length = 1;
  for (let v = value; v >= 0x80; v = Math.floor(v / 128)) length++;
  return length;
}

/** Bytes of a length-delimited field (tag of a field < 16, length, content) of `length` bytes. */
const fieldLength = (length: number) => 1 + varintLength(length) + length;

/** Writes into one buffer sized beforehand: no per-field arrays to concatenate. */
class Writer {
  readonly buffer: Buffer;
  at = 0;

  constructor(size: number) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  varint(value: number): void {
    let v = value;
    while (v >= 0x80) {
      this.buffer[this.at++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buffer[this.at++] = v;
  }

  /** A length-delimited field's tag (wire type 2) and length. */
  header(field: number, length: number): void {
    this.buffer[this.at++] = (field << 3) | 2;
    this.varint(length);
  }

  string(field: number, value: string, bytes: number): void {
    this.header(field, bytes);
    this.at += this.buffer.write(value, this.at, 'utf8');
  }

  bytes(field: number, value: Uint8Array): void {
    this.header(field, value.length);
    this.buffer.set(value, this.at);
    this.at += value.length;
  }
}

/** One Log message, encoded. */
export function encodeLog(log: SlsLog): Uint8Array {
  const sizes = log.contents.map(([key, value]) => {
    const k = Buffer.byteLength(key);
    const v = Buffer.byteLength(value);
    return [k, v, fieldLength(k) + fieldLength(v)] as const;
  });
  let size = 1 + varintLength(log.time);
  for (const [, , content] of sizes) size += fieldLength(content);
  const w = new Writer(size);
  w.buffer[w.at++] = 1 << 3; // Time: field 1, varint
  w.varint(log.time);
  log.contents.forEach(([key, value], i) => {
    const [k, v, content] = sizes[i] as readonly [number, number, number];
    w.header(2, content);
    w.string(1, key, k);
    w.string(2, value, v);
  });
  return w.buffer;
}

/** Bytes a Log takes in its group: its tag, its length prefix and itself. */
export const logFieldSize = (encoded: Uint8Array): number => fieldLength(encoded.length);

/** The LogGroup of already encoded logs. */
export function encodeLogGroup(
  logs: readonly Uint8Array[],
  group: { readonly topic: string; readonly source: string },
): Uint8Array {
  const topic = Buffer.byteLength(group.topic);
  const source = Buffer.byteLength(group.source);
  let size = fieldLength(topic) + fieldLength(source);
  for (const log of logs) size += fieldLength(log.length);
  const w = new Writer(size);
  for (const log of logs) w.bytes(1, log);
  w.string(3, group.topic, topic);
  w.string(4, group.source, source);
  return w.buffer;
}
