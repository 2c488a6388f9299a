import { FakeHttpReceiver } from '@keventer/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSender, type SenderRequestOptions } from '../../core/src/delivery/sender.js';
import { classifyHttpResponse } from '../../core/src/sink/contract/http-status.js';
import type { Sink } from '../../core/src/sink/contract/sink.js';
import { kubeEvent } from '../../core/test/support/kube-event.js';

// A real HTTP receiver on 127.0.0.1; each test scripts its answers.
let receiver: FakeHttpReceiver;
beforeAll(async () => {
  receiver = await FakeHttpReceiver.start({ status: 200 });
});
afterAll(() => receiver.close());
beforeEach(() => receiver.reset());

/** The tiny HTTP sink a real one would be: POST, classify, never retry. */
const httpSink: Sink = {
  name: 'http-test',
  async write(batch, { signal }) {
    const res = await fetch(`${receiver.url}/events`, {
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
    receiver.answerNext({ status: 503 }, { status: 502, body: '<html>bad gateway</html>' });
    const s = createSender({ sink: httpSink, request: REQUEST });
    await expect(s.send(events)).resolves.toEqual({ delivered: true, attempts: 3 });
    expect(receiver.requests.map((r) => r.body)).toEqual(Array(3).fill('["e-1","e-2"]'));
    expect(s.stats.lastError).toBe(
      '[keventer] [http-test] HTTP 502 Bad Gateway: <html>bad gateway</html>',
    );
  });

  it('waits at least the Retry-After of a 429', async () => {
    receiver.answerNext({ status: 429, headers: { 'retry-after': '1' } });
    const s = createSender({ sink: httpSink, request: REQUEST });
    await expect(s.send(events)).resolves.toEqual({ delivered: true, attempts: 2 });
    expect(receiver.requests).toHaveLength(2);
    const waited = receiver.requests[1]!.at - receiver.requests[0]!.at;
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(waited).toBeLessThan(1500);
  });

  it('dead-letters a 400 without retrying', async () => {
    receiver.answerNext({ status: 400, body: '{"error":"mapper_parsing_exception"}' });
    const onDeadLetter = vi.fn();
    const s = createSender({ sink: httpSink, request: REQUEST, onDeadLetter });
    const out = await s.send(events);
    expect(out).toMatchObject({ delivered: false, attempts: 1, reason: 'permanent' });
    if (!out.delivered) expect(out.error.statusCode).toBe(400);
    expect(receiver.requests).toHaveLength(1);
    expect(onDeadLetter).toHaveBeenCalledExactlyOnceWith(events, expect.any(Error), {
      reason: 'permanent',
      attempts: 1,
    });
  });

  it('times out a request the server never answers, and retries it', async () => {
    receiver.answerNext('hang');
    // Long enough that the answered retry never times out on a loaded machine (100 ms did).
    const s = createSender({ sink: httpSink, request: { ...REQUEST, timeoutMs: 1000 } });
    await expect(s.send(events)).resolves.toEqual({ delivered: true, attempts: 2 });
    expect(receiver.requests).toHaveLength(2);
  });
});
