import { createSinkFromUri, normalizeEvent } from '@keventer/core';
import { SinkConfigError } from '@keventer/core/kit';
import { buildEvent, failingWrite, podEvent } from '@keventer/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { influxdb } from '../src/index.js';
import { FakeInfluxdb2 } from './support/fake-influxdb2.js';

const TOKEN = 'Zq9-influx2-token-Ab12Cd34';
const AT = new Date('2026-03-01T10:00:05Z');
const ctx = () => ({ signal: AbortSignal.timeout(10_000) });

const servers: FakeInfluxdb2[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
});
async function influx2(options?: ConstructorParameters<typeof FakeInfluxdb2>[0]) {
  const server = new FakeInfluxdb2({
    orgs: { ops: ['k8s', 'k8s/week', 'events'] },
    tokens: { [TOKEN]: { org: 'ops', write: ['*'] }, 'read-only': { org: 'ops', write: [] } },
    ...options,
  });
  servers.push(server);
  await server.start();
  return server;
}
const v2 = (server: FakeInfluxdb2, extra: Record<string, unknown> = {}) =>
  influxdb({ endpoint: server.url, token: TOKEN, org: 'ops', ...extra });

describe('influxdb 2.x/3.x URIs', () => {
  it("a token selects /api/v2/write; kube-eventer's db names the bucket", async () => {
    const server = await influx2();
    process.env.KEVENTER_TEST_INFLUX_TOKEN = TOKEN;
    const { sink } = await createSinkFromUri(
      `influxdb:${server.url}?token=$KEVENTER_TEST_INFLUX_TOKEN&org=ops&db=k8s&withfields=true&cluster_name=east`,
    );
    await sink.write([podEvent('web-1', { at: AT }), podEvent('web-2', { at: AT })], ctx());
    expect(server.requests).toHaveLength(1); // one write per batch
    const [request] = server.requests;
    expect(request?.url).toBe('/api/v2/write?org=ops&bucket=k8s&precision=ns');
    expect(request?.headers.authorization).toBe(`Token ${TOKEN}`);
    expect(request?.headers['content-type']).toBe('text/plain; charset=utf-8');
    const points = server.points('k8s');
    expect(points.map((p) => p.tags.object_name).sort()).toEqual(['web-1', 'web-2']);
    expect(points[0]).toMatchObject({ measurement: 'events', tags: { cluster_name: 'east' } });
  });

  it("bucket wins; else 'db/retention', as 2.x's 1.x compatibility names it; u is sent as us", async () => {
    const server = await influx2();
    await (await v2(server, { bucket: 'events', precision: 'ms' })).write([podEvent('a')], ctx());
    await (await v2(server, { retention: 'week', precision: 'u' })).write([podEvent('a')], ctx());
    expect(server.requests.map((r) => r.url)).toEqual([
      '/api/v2/write?org=ops&bucket=events&precision=ms',
      '/api/v2/write?org=ops&bucket=k8s%2Fweek&precision=us',
    ]);
    expect(server.points('events')).toHaveLength(1);
    expect(server.points('k8s/week')).toHaveLength(1);
  });

  it('api=v2 without a token sends no Authorization (a 3.x server without auth)', async () => {
    const server = await influx2();
    const sink = await influxdb({ endpoint: `${server.url}/proxy`, api: 'v2', bucket: 'k8s' });
    const error = await failingWrite(sink, [podEvent('a')]);
    expect(server.requests[0]?.url).toBe('/proxy/api/v2/write?bucket=k8s&precision=ns');
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
    // This server is a 2.x, which wants a token: the answer says so.
    expect(error).toMatchObject({ statusCode: 401, retryable: false });
    expect(error.message).toMatch(/check 'token'/);
  });

  it('refuses 2.x options without the 2.x API, naming them, the token hidden', async () => {
    const refused = await createSinkFromUri(
      `influxdb:http://h:8086?api=v1&token=${TOKEN}&org=ops&bucket=b`,
    ).then(
      () => expect.unreachable(),
      (error: unknown) => error as SinkConfigError,
    );
    expect(refused).toBeInstanceOf(SinkConfigError);
    expect(refused.problems).toHaveLength(3);
    expect(refused.message).toMatch(/'token' is for the 2.x API/);
    expect(refused.message).toMatch(/'org' is for the 2.x API/);
    expect(refused.message).toMatch(/'bucket' is for the 2.x API/);
    expect(`${refused.message}${refused.stack}`).not.toContain(TOKEN);
    await expect(influxdb({ endpoint: 'http://h:8086', api: '3' as never })).rejects.toThrow(/api/);
  });
});

describe('influxdb on a strict 2.x /api/v2/write', () => {
  it('a batch replayed twice leaves one point per occurrence; a recurrence is another point', async () => {
    const server = await influx2();
    const sink = await v2(server);
    const first = podEvent('web-1', { at: AT });
    const second = normalizeEvent({ ...first.raw, count: 2 } as never);
    const batch = [first, second, podEvent('web-2', { at: AT })];
    await sink.write(batch, ctx());
    await sink.write(batch, ctx());
    await sink.write([second, first], ctx());
    const points = server.points('k8s');
    expect(points).toHaveLength(3);
    const counts = points.map((p) => {
      const value = p.fields.value;
      return value?.type === 'string' ? (JSON.parse(value.value) as { count: number }).count : 0;
    });
    expect(counts.sort()).toEqual([1, 1, 2]);
    expect(points[0]?.measurement).toBe('log/events');
  });

  it('hostile text survives the strict parser: spaces, commas, =, quotes, backslashes, newlines, CJK', async () => {
    const server = await influx2();
    const sink = await v2(server, { withfields: true });
    const text = 'Back-off "app" a=b, c\\d\nline 2 中文 ✓ \\';
    const event = normalizeEvent(
      buildEvent(
        {
          reason: 'Odd reason, x=1 "q"',
          message: text,
          involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web 1,=中\\ x' },
        },
        { at: AT },
      ),
    );
    await sink.write([event], ctx());
    const [point] = server.points('k8s');
    expect(point?.fields.message).toEqual({ type: 'string', value: text });
    expect(point?.tags).toMatchObject({
      reason: 'Odd reason, x=1 "q"',
      object_name: 'web 1,=中\\ x',
      namespace_name: 'shop',
    });
  });

  it('the series layout writes count as an integer field', async () => {
    const server = await influx2();
    await (await v2(server, { layout: 'series' })).write([podEvent('web-1', { at: AT })], ctx());
    const [point] = server.points('k8s');
    expect(point?.measurement).toBe('kube_events');
    expect(point?.fields.count).toEqual({ type: 'integer', value: 1n });
  });
});

describe('influxdb 2.x answers, classified with what to fix (the token never in them)', () => {
  it('permanent: token, permission, org, bucket, size, field type conflict', async () => {
    const server = await influx2({ maxBodyBytes: 20_000 });
    const cases = [
      [{ token: 'wrong-token-123' }, 401, /unauthorized access \(check 'token'\)/],
      [{ token: 'read-only' }, 403, /insufficient permissions for write \(give the token write/],
      [{ org: 'nope' }, 404, /organization name "nope" not found \(check 'org'\)/],
      [{ org: '' }, 400, /provide either orgID or org \(check 'org'\)/],
      [{ bucket: 'gone' }, 404, /bucket "gone" not found \(create the bucket, or set 'bucket'\)/],
    ] as const;
    for (const [options, status, message] of cases) {
      const error = await failingWrite(await v2(server, options), [podEvent('a')]);
      expect(error).toMatchObject({ retryable: false, statusCode: status });
      expect(error.message).toMatch(message);
      expect(`${error.message}${error.stack}`).not.toContain(TOKEN);
    }
    const big = Array.from({ length: 30 }, (_, i) => podEvent(`web-${i}`));
    const tooLarge = await failingWrite(await v2(server), big);
    expect(tooLarge).toMatchObject({ retryable: false, statusCode: 413 });
    expect(tooLarge.message).toMatch(/points batch is too large \(lower batch.maxBytes/);
  });

  it("a field type conflict (2.x's 422 partial write) is permanent and says what to fix", async () => {
    const server = await influx2();
    // Another writer made `count` a string in the measurement the series layout writes.
    const seeded = await fetch(`${server.url}/api/v2/write?org=ops&bucket=k8s`, {
      method: 'POST',
      headers: { authorization: `Token ${TOKEN}`, 'content-type': 'text/plain' },
      body: 'kube_events,kind=Job count="many" 1\nother,kind=Job count=1i 1',
    });
    expect(seeded.status).toBe(204);
    const error = await failingWrite(await v2(server, { layout: 'series' }), [
      podEvent('b', { at: AT }),
    ]);
    expect(error).toMatchObject({ retryable: false, statusCode: 422 });
    expect(error.message).toMatch(
      /partial write: field type conflict: .*"count".* dropped=1 \(a field of this measurement already has another type/,
    );
  });

  it("quotes InfluxDB 3's partial write: its first refused line", async () => {
    const server = await influx2();
    server.answerNext({
      status: 400,
      body: {
        error: 'partial write of line protocol occurred',
        data: [
          {
            original_line: 'events,uid=a message=1i',
            line_number: 2,
            error_message: 'invalid column type for column message, expected String, got Integer',
          },
        ],
      },
    });
    const error = await failingWrite(await v2(server), [podEvent('a')]);
    expect(error).toMatchObject({ retryable: false, statusCode: 400 });
    expect(error.message).toMatch(
      /partial write of line protocol occurred \(line 2: invalid column type for column message.*\) \(the server refused these lines and wrote the others/,
    );
  });

  it('retryable: 429 and 503 with Retry-After, 500, a lost connection', async () => {
    const server = await influx2();
    const sink = await v2(server);
    const unavailable = { code: 'unavailable', message: 'service unavailable' };
    server.answerNext(
      {
        status: 429,
        headers: { 'retry-after': '3' },
        body: { code: 'too many requests', message: 'rate limited' },
      },
      { status: 503, headers: { 'retry-after': '2' }, body: unavailable },
      {
        status: 500,
        body: {
          code: 'internal error',
          message: 'unexpected error writing points to database: timeout',
        },
      },
    );
    expect(await failingWrite(sink, [podEvent('a')])).toMatchObject({
      retryable: true,
      retryAfterMs: 3000,
      statusCode: 429,
    });
    expect(await failingWrite(sink, [podEvent('a')])).toMatchObject({
      retryable: true,
      retryAfterMs: 2000,
      statusCode: 503,
    });
    expect(await failingWrite(sink, [podEvent('a')])).toMatchObject({
      retryable: true,
      statusCode: 500,
    });
    await server.stop();
    servers.splice(0);
    expect(await failingWrite(sink, [podEvent('a')])).toMatchObject({ retryable: true });
  });
});
