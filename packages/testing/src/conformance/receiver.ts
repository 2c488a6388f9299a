import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
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

/** How the receiver answers a request; 'hang' never answers (a timeout test). */
export type ReceiverAnswer =
  | {
      readonly status: number;
      readonly headers?: Record<string, string>;
      readonly body?: string;
    }
  | 'hang';

/**
 * A local HTTP endpoint for sink tests: records every request and answers with
 * `defaultAnswer`, or with the answers queued by `answerNext` first.
 */
export class FakeHttpReceiver {
  readonly requests: ReceivedRequest[] = [];
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
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.body ?? '');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    receiver = new FakeHttpReceiver(server, `http://127.0.0.1:${port}`, defaultAnswer);
    return receiver;
  }

  /** Answers the next requests with these, in order, then with `defaultAnswer` again. */
  answerNext(...answers: ReceiverAnswer[]): void {
    this.#queued.push(...answers);
  }

  /** Forgets recorded requests and queued answers. */
  reset(): void {
    this.requests.length = 0;
    this.#queued.length = 0;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
