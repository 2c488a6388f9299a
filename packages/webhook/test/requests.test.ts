import { createHmac } from 'node:crypto';
import { isSinkError, type SinkError } from '@keventer/core';
import { describe, expect, it } from 'vitest';
import { webhook } from '../src/index.js';
import { kubeEvent, rejection, startReceiver, track, write } from './support.js';

const DEFAULT_BODY = {
  EventType: 'Warning',
  EventKind: 'Pod',
  EventReason: 'BackOff',
  EventTime: '2024-05-01T10:05:00.000Z',
  EventMessage: 'Back-off restarting failed container',
};

describe('requests', () => {
  it("POSTs kube-eventer's body as JSON, one event per request", async () => {
    const receiver = await startReceiver();
    const sink = track(await webhook({ endpoint: `${receiver.url}/k8s` }));
    await write(sink, [kubeEvent(), kubeEvent({ message: 'second' })]);
    expect(receiver.accepted.map((r) => [r.method, r.format, r.body])).toEqual([
      ['POST', 'json', DEFAULT_BODY],
      ['POST', 'json', { ...DEFAULT_BODY, EventMessage: 'second' }],
    ]);
    expect(receiver.accepted[0]?.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it("sends the same body with GET, as kube-eventer's default did", async () => {
    const receiver = await startReceiver();
    const sink = track(await webhook({ endpoint: receiver.url, method: 'GET' }));
    await write(sink, [kubeEvent()]);
    expect(receiver.accepted.map((r) => [r.method, r.body])).toEqual([['GET', DEFAULT_BODY]]);
  });

  it('sends the header options; one may replace the Content-Type', async () => {
    const receiver = await startReceiver({
      requireHeaders: { Authorization: 'Bearer a=b', 'X-Team': 'sre' },
    });
    const sink = track(
      await webhook({
        endpoint: receiver.url,
        header: ['Authorization=Bearer a=b', 'X-Team=sre', 'Content-Type=application/json'],
      }),
    );
    await write(sink, [kubeEvent()]);
    expect(receiver.accepted[0]?.headers['content-type']).toBe('application/json');
  });

  it('a missing required header is a permanent failure', async () => {
    const receiver = await startReceiver({ requireHeaders: { 'X-Team': 'sre' } });
    const sink = track(await webhook({ endpoint: receiver.url }));
    const error = (await rejection(write(sink, [kubeEvent()]))) as SinkError;
    expect([error.retryable, error.statusCode]).toEqual([false, 401]);
    expect(error.message).toMatch(/HTTP 401 Unauthorized: .*X-Team is missing/);
  });

  it('keeps header secrets out of errors even when the receiver echoes them', async () => {
    const receiver = await startReceiver();
    const sink = track(
      await webhook({ endpoint: receiver.url, header: ['Authorization=Bearer hdr-tok-123'] }),
    );
    receiver.failNext({ status: 403, body: '{"error":"token hdr-tok-123 is revoked"}' });
    const error = await rejection(write(sink, [kubeEvent()]));
    expect(error.message).toBe(
      '[keventer] [webhook] HTTP 403 Forbidden: {"error":"token *** is revoked"}',
    );
  });

  it('sends a batch as one JSON array with body_format=json_array', async () => {
    const receiver = await startReceiver();
    const sink = track(await webhook({ endpoint: receiver.url, body_format: 'json_array' }));
    await write(sink, [kubeEvent(), kubeEvent({ type: 'Normal', reason: 'Pulled' })]);
    expect(receiver.accepted).toHaveLength(1);
    expect(receiver.accepted[0]?.body).toEqual([
      DEFAULT_BODY,
      { ...DEFAULT_BODY, EventType: 'Normal', EventReason: 'Pulled' },
    ]);
  });

  it('sends a batch as NDJSON with body_format=ndjson', async () => {
    const receiver = await startReceiver();
    const sink = track(await webhook({ endpoint: receiver.url, body_format: 'ndjson' }));
    await write(sink, [kubeEvent({ message: 'a\nb' }), kubeEvent()]);
    const [request] = receiver.accepted;
    expect(request?.headers['content-type']).toBe('application/x-ndjson');
    expect(request?.rawBody.split('\n')).toHaveLength(3);
    expect(request?.events).toEqual([{ ...DEFAULT_BODY, EventMessage: 'a\nb' }, DEFAULT_BODY]);
  });

  it('signs the exact body with the timestamp; the receiver verifies it on its own', async () => {
    const receiver = await startReceiver({ signingSecret: 'whsec-1' });
    const sink = track(
      await webhook({ endpoint: receiver.url, signing_secret: 'whsec-1', method: 'PUT' }),
    );
    await write(sink, [kubeEvent({ message: 'signed "中文"' })]);
    const [request] = receiver.accepted;
    const timestamp = String(request?.headers['x-keventer-timestamp']);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);
    const expected = createHmac('sha256', 'whsec-1')
      .update(`${timestamp}.${request?.rawBody}`)
      .digest('hex');
    expect(request?.headers['x-keventer-signature']).toBe(`sha256=${expected}`);
  });

  it('a wrong signing secret is refused by the receiver (401, permanent)', async () => {
    const receiver = await startReceiver({ signingSecret: 'whsec-1' });
    const sink = track(await webhook({ endpoint: receiver.url, signing_secret: 'whsec-2' }));
    const error = (await rejection(write(sink, [kubeEvent()]))) as SinkError;
    expect([error.retryable, error.statusCode]).toEqual([false, 401]);
    expect(receiver.accepted).toHaveLength(0);
  });

  it('takes any 2xx as success', async () => {
    const receiver = await startReceiver({ successStatus: 204 });
    const sink = track(await webhook({ endpoint: receiver.url }));
    await expect(write(sink, [kubeEvent()])).resolves.toBeUndefined();
  });

  it('reports 429 and 5xx as retryable with Retry-After, 413 as permanent', async () => {
    const receiver = await startReceiver({ maxBodyBytes: 400 });
    const sink = track(await webhook({ endpoint: receiver.url }));
    receiver.failNext({ status: 429, headers: { 'retry-after': '3' } });
    const limited = (await rejection(write(sink, [kubeEvent()]))) as SinkError;
    expect([limited.retryable, limited.retryAfterMs]).toEqual([true, 3000]);
    receiver.failNext({ status: 502 });
    expect(isSinkError(await rejection(write(sink, [kubeEvent()])))).toBe(true);

    const big = (await rejection(
      write(sink, [kubeEvent({ message: 'x'.repeat(500) })]),
    )) as SinkError;
    expect([big.retryable, big.statusCode]).toEqual([false, 413]);
  });

  it('does not send an event twice when a batch is retried after a partial failure', async () => {
    const receiver = await startReceiver();
    const sink = track(await webhook({ endpoint: receiver.url }));
    const batch = [kubeEvent({ message: 'one' }), kubeEvent({ message: 'two' })];
    receiver.failNext({ status: 503 }, 1, { after: 1 });
    await rejection(write(sink, batch));
    await write(sink, batch);
    expect(receiver.accepted.map((r) => (r.body as { EventMessage: string }).EventMessage)).toEqual(
      ['one', 'two'],
    );
    expect(receiver.requests).toHaveLength(3);
  });
});
