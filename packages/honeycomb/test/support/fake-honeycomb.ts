import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** An event as Honeycomb stored it. */
export interface StoredEvent {
  readonly dataset: string;
  readonly data: Record<string, unknown>;
  readonly time: string | undefined;
  readonly samplerate: number;
}

/** What a request looked like on the wire. */
export interface SeenRequest {
  readonly path: string;
  readonly encoding: string;
  readonly wireBytes: number;
  readonly jsonBytes: number;
  readonly events: number;
}

/** An answer for one event instead of storing it (a 429 throttle, a 400). */
export type EventFault = (
  data: Record<string, unknown>,
) => { status: number; error: string } | undefined;

export interface RequestFault {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

/** Honeycomb's limits (docs.honeycomb.io, libhoney): per request, per event, per event's fields. */
export const LIMITS = { requestBytes: 5_000_000, eventBytes: 1_000_000, columns: 2000 };

/**
 * A strict Honeycomb batch API (`POST /1/batch/{dataset}`): it checks the
 * method, the path, X-Honeycomb-Team against the keys it knows, gzip (or no)
 * Content-Encoding, the 5 MB request limit on the uncompressed JSON, and each
 * event's shape (an object with a `data` object, an RFC 3339 `time`, a
 * positive integer `samplerate`, at most 2000 fields and 1 MB); it answers
 * with one status per event in Honeycomb's words, and can be told to refuse
 * chosen events or whole requests.
 */
export class FakeHoneycomb {
  readonly events: StoredEvent[] = [];
  readonly requests: SeenRequest[] = [];
  eventFault: EventFault | undefined;
  /** Answers for the next requests instead of the batch, first one first ('answer': answer it). */
  readonly requestFaults: Array<RequestFault | 'answer'> = [];
  url = '';
  private readonly server: Server;

  private readonly keys: readonly string[];
  private readonly prefix: string;

  /** `prefix`: a path before /1/batch, as a proxy in front of Honeycomb has. */
  constructor(options: { keys?: readonly string[]; prefix?: string } = {}) {
    this.keys = options.keys ?? ['hcaik_test0key0000000000000000'];
    this.prefix = options.prefix ?? '';
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: Error) => {
        res.writeHead(500).end(JSON.stringify({ error: error.message }));
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this.url;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const wire = Buffer.concat(chunks);
    const send = (status: number, answer: unknown, headers: Record<string, string> = {}) =>
      res
        .writeHead(status, { 'content-type': 'application/json', ...headers })
        .end(JSON.stringify(answer));
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const match = /^\/1\/batch\/([^/]+)$/.exec(path.slice(this.prefix.length));
    // Honeycomb allows URL-encoded spaces in a dataset name, not encoded slashes.
    if (
      req.method !== 'POST' ||
      !path.startsWith(this.prefix) ||
      !match ||
      /%2f/i.test(match[1] ?? '')
    )
      return send(404, { error: 'not found' });
    const dataset = decodeURIComponent(match[1] ?? '');
    const key = req.headers['x-honeycomb-team'];
    if (typeof key !== 'string' || !this.keys.includes(key))
      return send(401, { error: 'unknown API key - check your credentials' });
    const fault = this.requestFaults.shift();
    if (fault && fault !== 'answer') return send(fault.status, fault.body, fault.headers);
    const encoding = req.headers['content-encoding'] ?? '';
    if (encoding !== 'gzip' && encoding !== '')
      return send(400, { error: `unsupported content encoding ${encoding}` });
    let json: Buffer;
    try {
      json = encoding === 'gzip' ? gunzipSync(wire) : wire;
    } catch {
      return send(400, { error: 'Request body is malformed and cannot be read.' });
    }
    if (json.byteLength > LIMITS.requestBytes)
      return send(413, { error: 'request body is too large' });
    let batch: unknown;
    try {
      batch = JSON.parse(json.toString('utf8'));
    } catch {
      return send(400, { error: 'Request body is malformed and cannot be read.' });
    }
    if (!Array.isArray(batch))
      return send(400, { error: 'Request body is malformed and cannot be read.' });
    if (batch.length === 0) return send(400, { error: 'Request body should not be empty.' });
    this.requests.push({
      path,
      encoding,
      wireBytes: wire.byteLength,
      jsonBytes: json.byteLength,
      events: batch.length,
    });
    send(
      200,
      batch.map((event) => this.accept(dataset, event)),
    );
  }

  private accept(dataset: string, event: unknown): { status: number; error?: string } {
    const malformed = { status: 400, error: 'Request body is malformed and cannot be read.' };
    if (typeof event !== 'object' || event === null || Array.isArray(event)) return malformed;
    const { data, time, samplerate = 1, ...rest } = event as Record<string, unknown>;
    if (Object.keys(rest).length > 0) return malformed;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return malformed;
    if (time !== undefined && (typeof time !== 'string' || !RFC3339.test(time))) return malformed;
    if (!Number.isInteger(samplerate) || (samplerate as number) < 1) return malformed;
    if (Object.keys(data).length > LIMITS.columns)
      return { status: 400, error: 'Event has too many columns.' };
    if (Buffer.byteLength(JSON.stringify(event)) > LIMITS.eventBytes)
      return { status: 400, error: 'Event is too large.' };
    const refused = this.eventFault?.(data as Record<string, unknown>);
    if (refused) return refused;
    this.events.push({
      dataset,
      data: data as Record<string, unknown>,
      time: time as string | undefined,
      samplerate: samplerate as number,
    });
    return { status: 202 };
  }
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
