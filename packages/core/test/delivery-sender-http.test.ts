import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSender, type SenderRequestOptions } from '../src/delivery/sender.js';
import { classifyHttpResponse } from '../src/sink/http-status.js';
import type { Sink } from '../src/sink/sink.js';
import { kubeEvent } from './support/kube-event.js';

// A real HTTP receiver on 127.0.0.1; each test scripts its responses.
type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

const received: { at: number; body: string }[] = [];
let replies: Reply[] = [];
let url = '';
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => {
    body += chunk;
  });
  req.on('end', () => {
    received.push({ at: performance.now(), body });
    const reply = replies.shift() ?? { status: 200 };
    if (reply === 'hang') return;
    res.writeHead(reply.status, reply.headers).end(reply.body ?? '');
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  received.length = 0;
  replies = [];
});

/** The tiny HTTP sink a real one would be: POST, classify, never retry. */
const httpSink: Sink = {
  name: 'http-test',
  async write(batch, { signal }) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(batch.map((e) => e.uid)),
      signal,
    });
    const error = classifyHttpResponse('http-test', res.status, res.headers, await res.text());
    if (error) throw error;
  },
};

const REQUEST: SenderRequestOptions = {
  concurrency: 1,
  timeoutMs: 2000,
  rateLimitNum: Infinity,
  rateLimitDurationMs: 1000,
  retryAttempts: 5,
  retryInitialBackoffMs: 5,
  retryMaxDurationMs: 5000,
};
const events = [kubeEvent({ uid: 'e-1' }), kubeEvent({ uid: 'e-2' })];

describe('createSender against a real HTTP receiver', () => {
  it('retries 503s, then delivers (every attempt reaches the server)', async () => {
    replies = [{ status: 503 }, { status: 502, body: '<html>bad gateway</html>' }];
    const s = createSender({ sink: httpSink, request: REQUEST });
    await expect(s.send(events)).resolves.toEqual({ delivered: true, attempts: 3 });
    expect(received.map((r) => r.body)).toEqual(Array(3).fill('["e-1","e-2"]'));
    expect(s.stats.lastError).toBe(
      '[keventer] [http-test] HTTP 502 Bad Gateway: <html>bad gateway</html>',
    );
  });

  it('waits at least the Retry-After of a 429', async () => {
    replies = [{ status: 429, headers: { 'retry-after': '1' } }];
    const s = createSender({ sink: httpSink, request: REQUEST });
    await expect(s.send(events)).resolves.toEqual({ delivered: true, attempts: 2 });
    expect(received).toHaveLength(2);
    const waited = received[1]!.at - received[0]!.at;
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(waited).toBeLessThan(1500);
  });

  it('dead-letters a 400 without retrying', async () => {
    replies = [{ status: 400, body: '{"error":"mapper_parsing_exception"}' }];
    const onDeadLetter = vi.fn();
    const s = createSender({ sink: httpSink, request: REQUEST, onDeadLetter });
    const out = await s.send(events);
    expect(out).toMatchObject({ delivered: false, attempts: 1, reason: 'permanent' });
    if (!out.delivered) expect(out.error.statusCode).toBe(400);
    expect(received).toHaveLength(1);
    expect(onDeadLetter).toHaveBeenCalledExactlyOnceWith(events, expect.any(Error), {
      reason: 'permanent',
      attempts: 1,
    });
  });

  it('times out a request the server never answers, and retries it', async () => {
    replies = ['hang'];
    const s = createSender({ sink: httpSink, request: { ...REQUEST, timeoutMs: 100 } });
    await expect(s.send(events)).resolves.toEqual({ delivered: true, attempts: 2 });
    expect(received).toHaveLength(2);
  });
});
