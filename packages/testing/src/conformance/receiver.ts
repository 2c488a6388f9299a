import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path and query, e.g. `/robot/send?access_token=x`. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** performance.now() when the request had been read. */
  readonly at: number;
}

/**
 * How the receiver answers a request; 'hang' never answers (a timeout test),
 * 'endless' is a 200 whose body never ends, 'echo' a 400 whose body repeats
 * the request line and its headers (as an error page may).
 */
export type ReceiverAnswer =
  | {
      readonly status: number;
      readonly headers?: Record<string, string>;
      readonly body?: string;
    }
  | 'hang'
  | 'endless'
  | 'echo';

const ENDLESS_CHUNK = Buffer.alloc(64 * 1024, '{"errcode":0,"pad":"');
// Headers every client sends: an echo leaves them out to keep the page short.
const ORDINARY_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'content-type',
  'user-agent',
  'accept',
  'accept-encoding',
  'accept-language',
  'sec-fetch-mode',
]);

/**
 * A local HTTP endpoint for sink tests: records every request and answers with
 * `defaultAnswer`, or with the answers queued by `answerNext` first.
 */
export class FakeHttpReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** Body bytes written by 'endless' answers so far. */
  bytesSent = 0;
  readonly #queued: ReceiverAnswer[] = [];
  readonly #server: Server;

  private constructor(
    server: Server,
    readonly url: string,
    public defaultAnswer: ReceiverAnswer,
  ) {
    this.#server = server;
  }

  static async start(
    defaultAnswer: ReceiverAnswer = { status: 200, body: '{}' },
  ): Promise<FakeHttpReceiver> {
    let receiver: FakeHttpReceiver | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const self = receiver as FakeHttpReceiver;
        self.requests.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: performance.now(),
        });
        const answer = self.#queued.shift() ?? self.defaultAnswer;
        if (answer === 'hang') return;
        if (answer === 'endless') return self.#sendEndless(res);
        if (answer === 'echo') {
          const headers = Object.entries(req.headers)
            .filter(([name]) => !ORDINARY_HEADERS.has(name))
            .map(([name, value]) => `${name}: ${String(value)}`);
          res.writeHead(400, { 'content-type': 'text/plain' });
          res.end(`Cannot ${req.method} ${req.url} ${headers.join('; ')}`);
          return;
        }
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.body ?? '');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    receiver = new FakeHttpReceiver(server, `http://127.0.0.1:${port}`, defaultAnswer);
    return receiver;
  }

  // Writes as fast as the client reads, until it stops reading and closes.
  #sendEndless(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'application/json' });
    let open = true;
    res.on('close', () => {
      open = false;
    });
    const pump = () => {
      while (open && res.write(ENDLESS_CHUNK)) this.bytesSent += ENDLESS_CHUNK.length;
      if (open) {
        this.bytesSent += ENDLESS_CHUNK.length;
        res.once('drain', pump);
      }
    };
    pump();
  }

  /** Answers the next requests with these, in order, then with `defaultAnswer` again. */
  answerNext(...answers: ReceiverAnswer[]): void {
    this.#queued.push(...answers);
  }

  /** Forgets recorded requests and queued answers. */
  reset(): void {
    this.requests.length = 0;
    this.bytesSent = 0;
    this.#queued.length = 0;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
