import { randomUUID } from 'node:crypto';
import { normalizeEvent } from '@keventer/core';
import { failingWrite, podEvent } from '@keventer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { influxdb } from '../src/index.js';

/**
 * Only against a real InfluxDB 2.x (none is packaged for Debian, so CI runs the
 * strict local server in test/ instead): INFLUXDB2_URL=http://localhost:8086
 * INFLUXDB2_TOKEN=<an all-access token> INFLUXDB2_ORG=<org name>
 * npm run test:services -- packages/influxdb. It makes a bucket of its own and deletes it.
 */
const URL_ = process.env.INFLUXDB2_URL ?? '';
const TOKEN = process.env.INFLUXDB2_TOKEN ?? '';
const ORG = process.env.INFLUXDB2_ORG ?? '';
const READY = URL_ !== '' && TOKEN !== '' && ORG !== '';
const suite = READY ? describe : describe.skip;

const AT = new Date('2026-03-01T10:00:05Z');
const ctx = () => ({ signal: AbortSignal.timeout(15_000) });
const api = (path: string, init: RequestInit = {}) =>
  fetch(`${URL_}${path}`, {
    ...init,
    headers: { authorization: `Token ${TOKEN}`, ...init.headers },
  });

/** Points of `measurement` in `bucket` around AT, counted by Flux (CSV answer). */
async function countPoints(bucket: string, measurement: string): Promise<number> {
  const flux = `from(bucket: "${bucket}") |> range(start: 2026-01-01T00:00:00Z, stop: 2027-01-01T00:00:00Z)
    |> filter(fn: (r) => r._measurement == "${measurement}") |> group() |> count()`;
  const response = await api(`/api/v2/query?org=${encodeURIComponent(ORG)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.flux', accept: 'application/csv' },
    body: flux,
  });
  const rows = (await response.text()).split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = rows[0]?.split(',') ?? [];
  const column = header.indexOf('_value');
  return column < 0 || rows[1] === undefined ? 0 : Number(rows[1].split(',')[column]);
}

suite(`influxdb on a real InfluxDB 2.x${READY ? '' : ' (skipped: set INFLUXDB2_URL, INFLUXDB2_TOKEN and INFLUXDB2_ORG to run it)'}`, () => {
  const bucket = `keventer_t_${randomUUID().slice(0, 8)}`;
  let bucketId = '';
  beforeAll(async () => {
    const orgs = (await (await api(`/api/v2/orgs?org=${encodeURIComponent(ORG)}`)).json()) as {
      orgs: Array<{ id: string }>;
    };
    const created = await api('/api/v2/buckets', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orgID: orgs.orgs[0]?.id, name: bucket, retentionRules: [] }),
    });
    expect(created.status).toBe(201);
    bucketId = ((await created.json()) as { id: string }).id;
  });
  afterAll(async () => {
    if (bucketId) await api(`/api/v2/buckets/${bucketId}`, { method: 'DELETE' });
  });

  it('a replayed batch leaves one point per occurrence; a recurrence is another point', async () => {
    const sink = await influxdb({ endpoint: URL_, token: TOKEN, org: ORG, bucket });
    const first = podEvent('web-1', { at: AT });
    const second = normalizeEvent({ ...first.raw, count: 2 } as never);
    const batch = [first, second, podEvent('web-2', { at: AT })];
    await sink.write(batch, ctx());
    await sink.write(batch, ctx());
    expect(await countPoints(bucket, 'log/events')).toBe(3);
  });

  it('writes both of kube-eventer layouts and the series layout', async () => {
    for (const extra of [{ withfields: true }, { layout: 'series' as const }]) {
      const sink = await influxdb({ endpoint: URL_, token: TOKEN, org: ORG, bucket, ...extra });
      await sink.write([podEvent('web-3', { at: AT })], ctx());
    }
    expect(await countPoints(bucket, 'events')).toBe(1);
    // series: one point with several fields, counted per field.
    expect(await countPoints(bucket, 'kube_events')).toBeGreaterThan(0);
  });

  it('a wrong token and a missing bucket are permanent and say what to fix', async () => {
    const wrong = 'wrong-token-0123456789';
    const denied = await failingWrite(
      await influxdb({ endpoint: URL_, token: wrong, org: ORG, bucket }),
      [podEvent('a')],
    );
    expect(denied).toMatchObject({ retryable: false, statusCode: 401 });
    expect(denied.message).toMatch(/check 'token'/);
    expect(`${denied.message}${denied.stack}`).not.toContain(wrong);
    const missing = await failingWrite(
      await influxdb({ endpoint: URL_, token: TOKEN, org: ORG, bucket: `${bucket}_gone` }),
      [podEvent('a')],
    );
    expect(missing).toMatchObject({ retryable: false, statusCode: 404 });
    expect(missing.message).toMatch(/create the bucket/);
  });
});
