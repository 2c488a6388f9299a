import { type KubeEvent, normalizeEvent } from '@keventer/core';
import { buildEvent, failingWrite, podEvent } from '@keventer/testing';
import { describe, expect, it } from 'vitest';
import { influxdb } from '../src/index.js';
import { freshDb, options, query, SERVER } from './support.js';

const ctx = () => ({ signal: AbortSignal.timeout(10_000) });
const AT = new Date('2026-03-01T10:00:05Z');

/** Writes, and when the sink created the database first (a retryable error), writes again as the engine would. */
async function write(sink: Awaited<ReturnType<typeof influxdb>>, batch: KubeEvent[]) {
  await sink.write(batch, ctx()).catch(async (error: { retryable?: boolean; message: string }) => {
    if (!error.retryable || !/created the/.test(error.message)) throw error;
    await sink.write(batch, ctx());
  });
}

describe.runIf(SERVER.url)('influxdb on a real InfluxDB 1.x', () => {
  it("writes kube-eventer's default layout into a database it creates", async () => {
    const db = freshDb();
    const sink = await influxdb({ ...options(db), cluster_name: 'east' });
    const events = [podEvent('web-1', { at: AT }), podEvent('web-2', { at: AT })];
    await write(sink, events);
    const rows = await query(db, 'SELECT * FROM "log/events"');
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.pod_name).sort()).toEqual(['web-1', 'web-2']);
    expect(rows[0]).toMatchObject({ cluster_name: 'east', hostname: 'node-1' });
    expect(JSON.parse(String(rows[0]?.value))).toHaveProperty('involvedObject.kind', 'Pod');
    const byUid = await query(db, `SELECT value FROM "log/events" WHERE uid = '${events[0]?.uid}'`);
    // The occurrence's time, not the write's: within its second (core/v1 times are whole
    // seconds), where the tie-breaker goes.
    expect(String(byUid[0]?.time)).toMatch(/^2026-03-01T10:00:05(\.\d+)?Z$/);
  });

  it('a batch replayed twice leaves one point per occurrence', async () => {
    const db = freshDb();
    const sink = await influxdb(options(db));
    const first = podEvent('web-1', { at: AT });
    // The same event again in the same second (count 2): another occurrence.
    const second = normalizeEvent({ ...first.raw, count: 2 } as never);
    const other = podEvent('web-2', { at: AT });
    const batch = [first, second, other];
    await write(sink, batch);
    await write(sink, batch);
    await sink.write([second, first], ctx());
    const rows = await query(db, 'SELECT uid, pod_name, value FROM "log/events"');
    expect(rows).toHaveLength(3);
    const counts = rows.map((r) => JSON.parse(String(r.value)).count as number).sort();
    expect(counts).toEqual([1, 1, 2]);
  });

  it('keeps hostile text intact: spaces, commas, =, quotes, backslashes, newlines, CJK', async () => {
    const db = freshDb();
    const sink = await influxdb({ ...options(db), withfields: true });
    const text = 'Back-off "app" a=b, c\\d\nline 2 中文 ✓';
    const event = normalizeEvent(
      buildEvent(
        {
          reason: 'Odd reason, x=1 "q"',
          message: text,
          involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web 1,=中' },
        },
        { at: AT },
      ),
    );
    await write(sink, [event]);
    const rows = await query(db, 'SELECT * FROM events');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      message: text,
      reason: 'Odd reason, x=1 "q"',
      object_name: 'web 1,=中',
      namespace_name: 'shop',
      kind: 'Pod',
      type: 'Normal',
    });
  });

  it('the series layout stores count as an integer and stays queryable by tags', async () => {
    const db = freshDb();
    const sink = await influxdb({ ...options(db), layout: 'series' });
    await write(sink, [
      podEvent('web-1', { at: AT }),
      podEvent('web-2', { at: AT, type: 'Normal' }),
    ]);
    const rows = await query(db, 'SELECT sum("count") FROM kube_events GROUP BY "type"');
    expect(rows).toHaveLength(2);
  });

  it('creates a missing retention policy and writes into it', async () => {
    const db = freshDb();
    const sink = await influxdb({ ...options(db), retention: 'week' });
    await write(sink, [podEvent('web-1', { at: AT })]); // creates the database WITH NAME week
    const other = await influxdb({ ...options(db), retention: 'month' });
    await write(other, [podEvent('web-2', { at: AT })]); // creates the policy
    expect(await query(db, 'SELECT * FROM "week"."log/events"')).toHaveLength(1);
    expect(await query(db, 'SELECT * FROM "month"."log/events"')).toHaveLength(1);
  });

  it("classifies the server's errors", async () => {
    const db = freshDb();
    const missing = await failingWrite(await influxdb({ ...options(db), auto_create: false }), [
      podEvent('a'),
    ]);
    expect(missing).toMatchObject({ retryable: false, statusCode: 404 });
    expect(missing.message).toMatch(/database not found.*set auto_create=true/);

    const wrongPw = 'wrong-password-123';
    const denied = await failingWrite(await influxdb({ ...options(db), pw: wrongPw }), [
      podEvent('a'),
    ]);
    expect(denied).toMatchObject({ retryable: false, statusCode: 401 });
    expect(denied.message).toMatch(/authorization failed \(check user and pw\)/);
    expect(`${denied.message}${denied.stack}`).not.toContain(wrongPw);

    // A field the server already has as another type: `count` as a string.
    await write(await influxdb(options(db)), [podEvent('a', { at: AT })]);
    const seeded = await fetch(`${SERVER.url}/write?db=${db}`, {
      method: 'POST',
      // The same shard as the events' (InfluxDB checks field types per shard).
      body: `kube_events,kind=Pod count="many" ${AT.getTime()}000000`,
      headers: { authorization: `Basic ${btoa(`${SERVER.user}:${SERVER.pw}`)}` },
    });
    expect(seeded.status).toBe(204);
    const series = await influxdb({ ...options(db), layout: 'series' });
    const conflict = await failingWrite(series, [podEvent('c', { at: AT })]);
    expect(conflict).toMatchObject({ retryable: false, statusCode: 400 });
    expect(conflict.message).toMatch(/field type conflict.*already has another type/);
  });
});
