import http from 'node:http';
import type { WatchLine } from '@keventer/core';
import { afterEach } from 'vitest';
import { FakeKubeApiServer, type FakeKubeApiServerOptions } from '../src/index.js';

// biome-ignore lint/suspicious/noExplicitAny: test helper reads arbitrary JSON
export type AnyLine = WatchLine<any>;

const servers: FakeKubeApiServer[] = [];

/** Starts a server that is closed after the test. */
export async function startServer(
  options: FakeKubeApiServerOptions = {},
): Promise<FakeKubeApiServer> {
  const server = await FakeKubeApiServer.start(options);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** GET a JSON document with fetch. */
export async function getJson(
  server: FakeKubeApiServer,
  path: string,
  headers: Record<string, string> = {},
  // biome-ignore lint/suspicious/noExplicitAny: test helper reads arbitrary JSON
): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(server.url + path, { headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text) };
}

/** A watch read with node:http, line by line; can stop reading to apply backpressure. */
export class WatchClient {
  readonly lines: AnyLine[] = [];
  readonly malformed: string[] = [];
  status = 0;
  bytes = 0;
  ended = false;
  error: Error | undefined;
  private buffer = '';
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly req: http.ClientRequest,
    private readonly res: http.IncomingMessage,
  ) {
    this.status = res.statusCode ?? 0;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => this.onData(chunk));
    res.on('end', () => this.finish());
    res.on('error', (err) => this.finish(err));
    res.on('aborted', () => this.finish(new Error('aborted')));
    res.on('close', () => this.finish());
  }

  static open(
    server: FakeKubeApiServer,
    path: string,
    options: { headers?: Record<string, string>; paused?: boolean } = {},
  ): Promise<WatchClient> {
    return new Promise((resolve, reject) => {
      const req = http.get(server.url + path, { headers: options.headers ?? {} }, (res) => {
        if (options.paused) res.pause();
        resolve(new WatchClient(req, res));
      });
      req.on('error', reject);
    });
  }

  get types(): string[] {
    return this.lines.map((l) => l.type);
  }

  /** Lines other than BOOKMARK. */
  get changes(): AnyLine[] {
    return this.lines.filter((l) => l.type !== 'BOOKMARK');
  }

  pause(): void {
    this.res.pause();
  }

  resume(): void {
    this.res.resume();
  }

  close(): void {
    this.req.destroy();
  }

  /** Waits until `check` holds (re-checked on each line and at the end). */
  async until(
    check: (client: WatchClient) => boolean,
    timeoutMs = 2000,
    what = 'condition',
  ): Promise<void> {
    if (check(this)) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(test);
        reject(
          new Error(
            `timed out waiting for ${what}; got ${JSON.stringify(this.types)} ended=${this.ended}`,
          ),
        );
      }, timeoutMs);
      const test = (): void => {
        if (!check(this)) return;
        clearTimeout(timer);
        this.waiters.delete(test);
        resolve();
      };
      this.waiters.add(test);
    });
  }

  /** Waits for the response to end (cleanly or not). */
  untilEnded(timeoutMs = 2000): Promise<void> {
    return this.until((c) => c.ended, timeoutMs, 'the end of the response');
  }

  private onData(chunk: string): void {
    this.bytes += Buffer.byteLength(chunk);
    this.buffer += chunk;
    let nl = this.buffer.indexOf('\n');
    while (nl >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      if (line.trim()) {
        try {
          this.lines.push(JSON.parse(line) as AnyLine);
        } catch {
          this.malformed.push(line);
        }
      }
      nl = this.buffer.indexOf('\n');
    }
    this.notify();
  }

  private finish(err?: Error): void {
    if (err && !this.error) this.error = err;
    this.ended = true;
    this.notify();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
