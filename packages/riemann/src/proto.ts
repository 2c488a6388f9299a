import protobuf from 'protobufjs';

// Riemann's proto.proto (riemann/riemann-java-client, riemann-go-client), the parts a client sends and reads.
const PROTO = `
syntax = "proto2";
message Event {
  optional int64 time = 1;
  optional string state = 2;
  optional string service = 3;
  optional string host = 4;
  optional string description = 5;
  repeated string tags = 7;
  optional float ttl = 8;
  repeated Attribute attributes = 9;
  optional int64 time_micros = 10;
  optional sint64 metric_sint64 = 13;
  optional double metric_d = 14;
  optional float metric_f = 15;
}
message Query { optional string string = 1; }
message Msg {
  optional bool ok = 2;
  optional string error = 3;
  repeated Event events = 6;
  optional Query query = 5;
}
message Attribute {
  required string key = 1;
  optional string value = 2;
}`;

const root = protobuf.parse(PROTO, { keepCase: true }).root;
const Msg = root.lookupType('Msg');

/** A Riemann event, in the proto's field names. */
export interface RiemannEvent {
  readonly time: number;
  readonly time_micros: number;
  readonly state: string;
  readonly service: string;
  readonly host: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly ttl?: number;
  readonly attributes: ReadonlyArray<{ readonly key: string; readonly value: string }>;
  readonly metric_sint64: number;
}

/** Riemann's answer: `ok`, or the `error` it could not process the message for. */
export interface RiemannAnswer {
  readonly ok: boolean;
  readonly error: string;
}

/** One message with the events, framed for TCP: a 4-byte big-endian length, then the Msg. */
export function frameEvents(events: readonly RiemannEvent[]): Buffer {
  // Plain objects of the right types encode as they are (fromObject would copy each one first).
  const body = Msg.encode({ events }).finish();
  const frame = Buffer.allocUnsafe(4 + body.length);
  frame.writeUInt32BE(body.length, 0);
  frame.set(body, 4);
  return frame;
}

/** Reads the server's answer Msg (throws on bytes that are no Msg). */
export function readAnswer(body: Uint8Array): RiemannAnswer {
  const msg = Msg.toObject(Msg.decode(body)) as { ok?: boolean; error?: string };
  return { ok: msg.ok === true, error: msg.error ?? '' };
}
