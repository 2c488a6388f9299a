/**
 * A strict reader of Riemann's protobuf messages, written from riemann's
 * proto.proto for the fake server: it shares no code with the sink (which
 * uses protobufjs) and refuses what a proto2 parser refuses: a wrong wire
 * type for a known field, a truncated field, an Attribute without its
 * required key. Unknown fields are an error too: the sink sends none.
 */

export interface DecodedEvent {
  time?: bigint;
  state?: string;
  service?: string;
  host?: string;
  description?: string;
  tags: string[];
  ttl?: number;
  attributes: Array<{ key: string; value?: string }>;
  time_micros?: bigint;
  metric_sint64?: bigint;
  metric_d?: number;
  metric_f?: number;
}

const VARINT = 0;
const FIXED64 = 1;
const BYTES = 2;
const FIXED32 = 5;

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}
  get done() {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const byte = this.buf[this.pos++] as number;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
    throw new Error('varint longer than 10 bytes');
  }
  bytes(): Buffer {
    const length = Number(this.varint());
    if (this.pos + length > this.buf.length) throw new Error('truncated length-delimited field');
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }
  fixed32(): Buffer {
    if (this.pos + 4 > this.buf.length) throw new Error('truncated fixed32');
    this.pos += 4;
    return this.buf.subarray(this.pos - 4, this.pos);
  }
  fixed64(): Buffer {
    if (this.pos + 8 > this.buf.length) throw new Error('truncated fixed64');
    this.pos += 8;
    return this.buf.subarray(this.pos - 8, this.pos);
  }
  /** The next field's number, after checking its wire type is `expected[number]`. */
  field(expected: Readonly<Record<number, number>>, message: string): number {
    const tag = Number(this.varint());
    const number = tag >>> 3;
    const wire = tag & 7;
    if (expected[number] === undefined) throw new Error(`${message}: unknown field ${number}`);
    if (expected[number] !== wire)
      throw new Error(`${message}: field ${number} has wire type ${wire}, not ${expected[number]}`);
    return number;
  }
}

const utf8 = (buf: Buffer) => new TextDecoder('utf-8', { fatal: true }).decode(buf);
const zigzag = (n: bigint) => (n >> 1n) ^ -(n & 1n);

/** Decodes a Msg the way a client sends it: events only. */
export function decodeMsg(buf: Buffer): DecodedEvent[] {
  const reader = new Reader(buf);
  const events: DecodedEvent[] = [];
  while (!reader.done) {
    reader.field({ 6: BYTES }, 'Msg');
    events.push(decodeEvent(reader.bytes()));
  }
  return events;
}

const EVENT_FIELDS = {
  1: VARINT,
  2: BYTES,
  3: BYTES,
  4: BYTES,
  5: BYTES,
  7: BYTES,
  8: FIXED32,
  9: BYTES,
  10: VARINT,
  13: VARINT,
  14: FIXED64,
  15: FIXED32,
};

function decodeEvent(buf: Buffer): DecodedEvent {
  const reader = new Reader(buf);
  const event: DecodedEvent = { tags: [], attributes: [] };
  while (!reader.done) {
    const number = reader.field(EVENT_FIELDS, 'Event');
    if (number === 1) event.time = BigInt.asIntN(64, reader.varint());
    else if (number === 2) event.state = utf8(reader.bytes());
    else if (number === 3) event.service = utf8(reader.bytes());
    else if (number === 4) event.host = utf8(reader.bytes());
    else if (number === 5) event.description = utf8(reader.bytes());
    else if (number === 7) event.tags.push(utf8(reader.bytes()));
    else if (number === 8) event.ttl = reader.fixed32().readFloatLE(0);
    else if (number === 9) event.attributes.push(decodeAttribute(reader.bytes()));
    else if (number === 10) event.time_micros = BigInt.asIntN(64, reader.varint());
    else if (number === 13) event.metric_sint64 = zigzag(reader.varint());
    else if (number === 14) event.metric_d = reader.fixed64().readDoubleLE(0);
    else event.metric_f = reader.fixed32().readFloatLE(0);
  }
  return event;
}

function decodeAttribute(buf: Buffer): { key: string; value?: string } {
  const reader = new Reader(buf);
  let key: string | undefined;
  let value: string | undefined;
  while (!reader.done) {
    if (reader.field({ 1: BYTES, 2: BYTES }, 'Attribute') === 1) key = utf8(reader.bytes());
    else value = utf8(reader.bytes());
  }
  if (key === undefined) throw new Error('Attribute: missing required field key');
  return value === undefined ? { key } : { key, value };
}

/** The answer Msg: `ok: true`, or `ok: false` with the error string. */
export function encodeAnswer(error?: string): Buffer {
  if (error === undefined) return Buffer.from([(2 << 3) | VARINT, 1]);
  const text = Buffer.from(error, 'utf8');
  return Buffer.concat([
    Buffer.from([(2 << 3) | VARINT, 0, (3 << 3) | BYTES]),
    encodeVarint(text.length),
    text,
  ]);
}

function encodeVarint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}
