import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Options of {@link FakeWebhookReceiver.start}. */
export interface FakeWebhookReceiverOptions {
  /**
   * When set, every request must carry a valid `X-Keventer-Signature` (HMAC-SHA256
   * of `<X-Keventer-Timestamp>.<body>` with this secret), else 401.
   */
  signingSecret?: string;
  /** How far the signed timestamp may be from the receiver's clock. @default 300_000 (5 minutes) */
  toleranceMs?: number;
  /** Headers every request must carry with exactly these values (names case-insensitive), else 401. */
  requireHeaders?: Readonly<Record<string, string>>;
  /** Bodies larger than this many bytes are refused with 413. @default 1_048_576 (nginx's default) */
  maxBodyBytes?: number;
  /** The status of an accepted request (any 2xx). @default 200 */
  successStatus?: number;
}

/** What the receiver made of a body, from its Content-Type. */
export type WebhookBodyFormat = 'json' | 'ndjson' | 'empty';

/** One request the receiver got, accepted or not. */
export interface WebhookRequest {
  readonly method: string;
  readonly path: string;
  /** Query parameters in order (repeats kept). */
  readonly query: ReadonlyArray<readonly [string, string]>;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  readonly format: WebhookBodyFormat;
  /** The parsed body: one JSON value, or an array of the NDJSON lines' values. */
  readonly body: unknown;
  /** The events it carried: the array of a JSON array body or NDJSON, else the one body. */
  readonly events: readonly unknown[];
  /** The status the receiver answered. */
  readonly status: number;
}

/** An answer given instead of the normal one, see {@link FakeWebhookReceiver.failNext}. */
export interface WebhookFailure {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const SIGNATURE = /^sha256=([0-9a-f]{64})$/;

/**
 * A webhook receiver for tests and demos on 127.0.0.1: checks what a careful
 * receiver checks (signature and its timestamp, required headers, body size,
 * valid JSON or NDJSON), answers 401/413/400 with a JSON error like real
 * services, and records every request with its parsed body.
 */
export class FakeWebhookReceiver {
  /** Every request, in arrival order, with the status it got. */
  readonly requests: WebhookRequest[] = [];
  readonly #failures: Array<WebhookFailure | undefined> = [];
  readonly #server: Server;
  readonly #options: FakeWebhookReceiverOptions;
  #url = '';

  private constructor(server: Server, options: FakeWebhookReceiverOptions) {
    this.#server = server;
    this.#options = options;
  }

  /** Starts a receiver on a random port. */
  static async start(options: FakeWebhookReceiverOptions = {}): Promise<FakeWebhookReceiver> {
    const server = createServer();
    const receiver = new FakeWebhookReceiver(server, options);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://receiver');
        const raw = Buffer.concat(chunks);
        const answer = receiver.#answer(req.method ?? '', req.headers, raw);
        receiver.requests.push({
          method: req.method ?? '',
          path: url.pathname,
          query: [...url.searchParams],
          headers: req.headers,
          rawBody: raw.toString('utf8'),
          ...answer.parsed,
          status: answer.status,
        });
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiver.#url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return receiver;
  }

  /** `http://127.0.0.1:PORT` */
  get url(): string {
    return this.#url;
  }

  /** The requests answered with a 2xx. */
  get accepted(): WebhookRequest[] {
    return this.requests.filter((r) => r.status >= 200 && r.status < 300);
  }

  /** The events of every accepted request, in order. */
  get events(): unknown[] {
    return this.accepted.flatMap((r) => r.events);
  }

  /**
   * Answers the next `times` requests with `failure` (they are still recorded),
   * after answering `after` requests normally. Requests refused by a check
   * (signature, headers, size, body) do not use up the queue. @default 503 once, at once
   */
  failNext(failure: WebhookFailure = { status: 503 }, times = 1, { after = 0 } = {}): void {
    for (let i = 0; i < after; i++) this.#failures.push(undefined);
    for (let i = 0; i < times; i++) this.#failures.push(failure);
  }

  /** Resolves once `count` requests were accepted; rejects after `timeoutMs`. */
  async waitForAccepted(count: number, timeoutMs = 5000): Promise<WebhookRequest[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.accepted.length < count) {
      if (Date.now() > deadline) {
        throw new Error(
          `${this.accepted.length} of ${count} requests accepted after ${timeoutMs} ms`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.accepted;
  }

  /** Forgets recorded requests and queued failures. */
  reset(): void {
    this.requests.length = 0;
    this.#failures.length = 0;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #answer(method: string, headers: IncomingHttpHeaders, raw: Buffer) {
    let parsed: Pick<WebhookRequest, 'format' | 'body' | 'events'> = {
      format: 'empty',
      body: undefined,
      events: [],
    };
    try {
      this.#checkSize(raw);
      this.#checkHeaders(headers);
      this.#checkSignature(headers, raw);
      parsed = parseBody(headers['content-type'] ?? '', raw.toString('utf8'));
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      const body = JSON.stringify({ error: error.message });
      return { status: error.status, headers: {}, body, parsed };
    }
    const failure = this.#failures.shift();
    if (failure) {
      const { status, headers = {}, body = '' } = failure;
      return { status, headers, body, parsed };
    }
    const status = this.#options.successStatus ?? 200;
    const body = status === 204 || method === 'HEAD' ? '' : '{"ok":true}';
    return { status, headers: {}, body, parsed };
  }

  #checkSize(raw: Buffer): void {
    const limit = this.#options.maxBodyBytes ?? 1_048_576;
    if (raw.length > limit) {
      throw new Refusal(413, `request body of ${raw.length} bytes is over the ${limit} byte limit`);
    }
  }

  #checkHeaders(headers: IncomingHttpHeaders): void {
    for (const [name, value] of Object.entries(this.#options.requireHeaders ?? {})) {
      if (headers[name.toLowerCase()] !== value) {
        throw new Refusal(401, `header ${name} is missing or wrong`);
      }
    }
  }

  // Written from the documented scheme, not from the sink's code.
  #checkSignature(headers: IncomingHttpHeaders, raw: Buffer): void {
    const secret = this.#options.signingSecret;
    if (secret === undefined) return;
    const timestamp = String(headers['x-keventer-timestamp'] ?? '');
    const given = SIGNATURE.exec(String(headers['x-keventer-signature'] ?? ''))?.[1];
    if (!/^\d+$/.test(timestamp) || given === undefined) {
      throw new Refusal(401, 'missing or malformed X-Keventer-Timestamp / X-Keventer-Signature');
    }
    const skew = Math.abs(Date.now() - Number(timestamp) * 1000);
    if (skew > (this.#options.toleranceMs ?? 300_000)) {
      throw new Refusal(401, `timestamp ${timestamp} is too far from now (replay?)`);
    }
    const mac = createHmac('sha256', secret);
    mac.update(`${timestamp}.`);
    mac.update(raw);
    if (!timingSafeEqual(mac.digest(), Buffer.from(given, 'hex'))) {
      throw new Refusal(401, 'signature mismatch');
    }
  }
}

function parseBody(
  contentType: string,
  text: string,
): Pick<WebhookRequest, 'format' | 'body' | 'events'> {
  if (text === '') return { format: 'empty', body: undefined, events: [] };
  try {
    if (/^application\/(x-)?ndjson\b/i.test(contentType)) {
      const lines = text.split('\n');
      if (lines.at(-1) === '') lines.pop();
      const values = lines.map((line) => JSON.parse(line) as unknown);
      return { format: 'ndjson', body: values, events: values };
    }
    if (/^application\/json\b/i.test(contentType)) {
      const body = JSON.parse(text) as unknown;
      return { format: 'json', body, events: Array.isArray(body) ? body : [body] };
    }
  } catch (error) {
    throw new Refusal(400, `invalid body: ${(error as Error).message}`);
  }
  throw new Refusal(415, `unsupported content type '${contentType}'`);
}
