// The soak's webhook receiver: checks every delivery against what the load
// made, counts each occurrence's deliveries by (uid, count), and plays the
// outage on command (500s, then 429s with Retry-After).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One body element, as the soak's template renders it. */
export interface DeliveredOccurrence {
  uid: string;
  count: number;
  rv: string;
  message: string;
}

/** A request the receiver accepted: the occurrences it carried, and when. */
export interface AcceptedRequest {
  keys: readonly string[];
  rvs: readonly string[];
  at: number;
}

export const occurrenceKey = (uid: string, count: number) => `${uid}/${count}`;

/** The expected message of an occurrence, or undefined for one the load never made. */
export type ExpectedMessage = (uid: string, count: number) => string | undefined;

const MAX_PROBLEMS_KEPT = 10;

export class CheckingReceiver {
  /** Deliveries per occurrence key. */
  readonly deliveries = new Map<string, number>();
  readonly accepted: AcceptedRequest[] = [];
  readonly problems: string[] = [];
  badDeliveries = 0;
  answered500 = 0;
  answered429 = 0;
  #failing = false;
  #throttleLeft = 0;
  #retryAfterSeconds = 0;
  #url = '';
  #afterNextAccept: (() => void) | undefined;

  private constructor(
    private readonly server: Server,
    private readonly expected: ExpectedMessage,
    private readonly maxEvents: number,
    private readonly onDelivered: (uid: string, count: number) => void,
  ) {}

  static async start(options: {
    expected: ExpectedMessage;
    maxEvents: number;
    onDelivered: (uid: string, count: number) => void;
  }): Promise<CheckingReceiver> {
    const server = createServer();
    const receiver = new CheckingReceiver(
      server,
      options.expected,
      options.maxEvents,
      options.onDelivered,
    );
    server.on('request', (req, res) => receiver.#handle(req, res));
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiver.#url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
    return receiver;
  }

  get url(): string {
    return this.#url;
  }

  /** Answers 500 to every request until {@link recover}. */
  fail(): void {
    this.#failing = true;
  }

  /** Ends the 500s; the next `times` requests get 429 with `Retry-After: seconds`. */
  recover(times: number, retryAfterSeconds: number): void {
    this.#failing = false;
    this.#throttleLeft = times;
    this.#retryAfterSeconds = retryAfterSeconds;
  }

  /** Calls `action` once the next request is recorded as accepted, before it is answered. */
  afterNextAccept(action: () => void): void {
    this.#afterNextAccept = action;
  }

  get throttling(): boolean {
    return this.#throttleLeft > 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (this.#failing) {
        this.answered500++;
        res.writeHead(500, { 'content-type': 'text/plain' }).end('outage played by the soak');
        return;
      }
      if (this.#throttleLeft > 0) {
        this.#throttleLeft--;
        this.answered429++;
        res
          .writeHead(429, { 'retry-after': String(this.#retryAfterSeconds) })
          .end('slow down (played by the soak)');
        return;
      }
      this.#accept(req, Buffer.concat(chunks).toString('utf8'));
      const action = this.#afterNextAccept;
      this.#afterNextAccept = undefined;
      action?.();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  }

  /** Records a request's occurrences; anything unexpected is a bad delivery (answered 200 all the same). */
  #accept(req: IncomingMessage, body: string): void {
    const items = this.#parse(req, body);
    if (typeof items === 'string') {
      this.#bad(items);
      return;
    }
    const keys: string[] = [];
    const rvs: string[] = [];
    for (const item of items) {
      const key = occurrenceKey(item.uid, item.count);
      const expected = this.expected(item.uid, item.count);
      if (expected === undefined || expected !== item.message) {
        const made = expected === undefined ? 'never made' : `made ${JSON.stringify(expected)}`;
        this.#bad(`${key}: message ${JSON.stringify(item.message)}, ${made}`);
        continue;
      }
      keys.push(key);
      rvs.push(item.rv);
      this.deliveries.set(key, (this.deliveries.get(key) ?? 0) + 1);
      this.onDelivered(item.uid, item.count);
    }
    this.accepted.push({ keys, rvs, at: Date.now() });
  }

  /** The body's occurrences, or what is wrong with the request. */
  #parse(req: IncomingMessage, body: string): DeliveredOccurrence[] | string {
    const problem = this.#checkRequest(req);
    if (problem) return problem;
    let items: unknown;
    try {
      items = JSON.parse(body);
    } catch {
      return `a body that is not JSON: ${body.slice(0, 80)}`;
    }
    if (!Array.isArray(items) || items.length === 0 || items.length > this.maxEvents) {
      return `a body that is not an array of 1 to ${this.maxEvents} events`;
    }
    return items as DeliveredOccurrence[];
  }

  #checkRequest(req: IncomingMessage): string | undefined {
    if (req.method !== 'POST') return `method ${req.method}, expected POST`;
    if (req.url !== '/events') return `path ${req.url}, expected /events`;
    const type = req.headers['content-type'] ?? '';
    if (!type.startsWith('application/json')) return `content-type ${type}`;
    return undefined;
  }

  #bad(problem: string): void {
    this.badDeliveries++;
    if (this.problems.length < MAX_PROBLEMS_KEPT) this.problems.push(problem);
  }
}
