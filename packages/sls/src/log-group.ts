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

const LENGTH_DELIMITED = 2;

function varintLength(value: number): number {
  let length = 1;
  for (let v = value; v >= 0x80; v = Math.floor(v / 128)) length++;
  return length;
}

/** A message body being written: parts are concatenated once at the end. */
class Writer {
  readonly parts: Uint8Array[] = [];
  length = 0;

  varint(value: number): void {
    const bytes = new Uint8Array(varintLength(value));
    let v = value;
    for (let i = 0; i < bytes.length; i++) {
      bytes[i] = i === bytes.length - 1 ? v : (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.push(bytes);
  }

  bytes(field: number, value: Uint8Array): void {
    this.varint((field << 3) | LENGTH_DELIMITED);
    this.varint(value.length);
    this.push(value);
  }

  string(field: number, value: string): void {
    this.bytes(field, Buffer.from(value, 'utf8'));
  }

  finish(): Uint8Array {
    return Buffer.concat(this.parts, this.length);
  }

  private push(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.length += bytes.length;
  }
}

function pair(key: string, value: string): Uint8Array {
  const w = new Writer();
  w.string(1, key);
  w.string(2, value);
  return w.finish();
}

/** One Log message, encoded: also its size in the group (plus a few bytes of tag and length). */
export function encodeLog(log: SlsLog): Uint8Array {
  const w = new Writer();
  w.varint((1 << 3) | 0); // Time, varint
  w.varint(log.time);
  for (const [key, value] of log.contents) w.bytes(2, pair(key, value));
  return w.finish();
}

/** Bytes a Log takes in its group: its tag, its length prefix and itself. */
export const logFieldSize = (encoded: Uint8Array): number =>
  1 + varintLength(encoded.length) + encoded.length;

/** The LogGroup of already encoded logs. */
export function encodeLogGroup(
  logs: readonly Uint8Array[],
  group: { readonly topic: string; readonly source: string },
): Uint8Array {
  const w = new Writer();
  for (const log of logs) w.bytes(1, log);
  w.string(3, group.topic);
  w.string(4, group.source);
  return w.finish();
}
