import type { Sink, SinkError } from '@keventer/core';
import { FakeHttpReceiver, failingWrite, podEvent } from '@keventer/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { influxdb } from '../src/index.js';

const receivers: FakeHttpReceiver[] = [];
afterEach(async () => {
  for (const receiver of receivers.splice(0)) await receiver.close();
});
async function server() {
  const r = await FakeHttpReceiver.start({ status: 204 });
  receivers.push(r);
  return r;
}
const failure = (sink: Sink): Promise<SinkError> => failingWrite(sink, [podEvent('web-1')]);
const json = (status: number, error: string) => ({ status, body: JSON.stringify({ error }) });

describe('influxdb answers', () => {
  it('says what to fix for permanent errors', async () => {
    const r = await server();
    const sink = await influxdb({ endpoint: r.url, auto_create: false });
    const cases = [
      [json(401, 'authorization failed'), /HTTP 401: authorization failed \(check user and pw\)/],
      [
        json(400, 'partial write: field type conflict: input field "value" dropped=1'),
        /field type conflict.*\(a field of this measurement already has another type/,
      ],
      [json(404, 'database not found: "k8s"'), /\(create the database, or set auto_create=true\)/],
      [
        json(500, 'retention policy not found: week'),
        /\(create the retention policy, or set auto_create=true\)/,
      ],
      [json(403, 'user is not authorized to write to database'), /grant the user WRITE/],
    ] as const;
    for (const [answer, message] of cases) {
      r.answerNext(answer);
      const error = await failure(sink);
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(message);
    }
    expect(r.requests).toHaveLength(cases.length);
  });

  it('is retryable on 429, 5xx and "too many requests", with Retry-After', async () => {
    const r = await server();
    const sink = await influxdb({ endpoint: r.url });
    r.answerNext(
      { status: 429, headers: { 'retry-after': '3' }, body: '' },
      json(500, 'timeout'),
      json(400, 'too many requests, try later'),
    );
    expect(await failure(sink)).toMatchObject({ retryable: true, retryAfterMs: 3000 });
    expect(await failure(sink)).toMatchObject({ retryable: true, statusCode: 500 });
    expect(await failure(sink)).toMatchObject({ retryable: true, statusCode: 400 });
  });

  it('a lost connection is retryable', async () => {
    const r = await server();
    const { url } = r;
    await r.close();
    receivers.splice(0);
    expect(await failure(await influxdb({ endpoint: url }))).toMatchObject({ retryable: true });
  });

  it('creates a missing database, then asks the engine to write again', async () => {
    const r = await server();
    const sink = await influxdb({ endpoint: r.url, db: 'k"8s', retention: 'week' });
    r.answerNext(json(404, 'database not found: "k\\"8s"'), {
      status: 200,
      body: '{"results":[{"statement_id":0}]}',
    });
    const error = await failure(sink);
    expect(error).toMatchObject({ retryable: true });
    expect(error.message).toMatch(/created the database the write needs/);
    expect(r.requests.map((q) => q.url.split('?')[0])).toEqual(['/write', '/query']);
    expect(new URLSearchParams(r.requests[1]?.body).get('q')).toBe(
      'CREATE DATABASE "k\\"8s" WITH NAME "week"',
    );
    await sink.write([podEvent('web-1')], { signal: AbortSignal.timeout(5000) });
    expect(r.requests).toHaveLength(3);
  });

  it('a refused creation is permanent and says what to do', async () => {
    const r = await server();
    const sink = await influxdb({ endpoint: r.url, retention: 'week' });
    r.answerNext(json(500, 'retention policy not found: week'), {
      status: 200,
      body: '{"results":[{"statement_id":0,"error":"user not authorized"}]}',
    });
    const error = await failure(sink);
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(
      /the retention policy does not exist and CREATE RETENTION POLICY "week" ON "k8s" DURATION INF REPLICATION 1 failed: InfluxDB refused it: user not authorized/,
    );
  });
});
