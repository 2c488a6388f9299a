import { createSinkFromUri } from '@keventer/core';
import { buildEvent, startForwarding } from '@keventer/testing';
import { expect, it, onTestFinished } from 'vitest';
import '../src/index.js';
import { freshDb, query, SERVER } from './support.js';

it.runIf(SERVER.url)(
  'forwards from the Kubernetes API through the sink to a real InfluxDB, recurrences as points',
  async () => {
    const db = freshDb();
    const target = new URL(SERVER.url);
    const uri = `influxdb:${target.origin}?user=${SERVER.user}&pw=$INFLUXDB_PASSWORD&db=${db}&withfields=true&cluster_name=east`;
    const { sink } = await createSinkFromUri(uri);
    const { api, stop } = await startForwarding([{ sink }], { registerCleanup: onTestFinished });

    const pod = (name: string) => ({ kind: 'Pod', namespace: 'shop', name });
    const backOff = api.createEvent(
      buildEvent({ type: 'Warning', reason: 'BackOff', involvedObject: pod('web-1') }),
    );
    api.createEvent(buildEvent({ type: 'Normal', reason: 'Pulled', involvedObject: pod('web-1') }));
    // Again within the same second: count 2, another occurrence, another point.
    api.recurEvent('shop', backOff.metadata?.name ?? '');

    const points = () => query(db, 'SELECT * FROM events').catch(() => []);
    let rows = await points();
    for (const deadline = Date.now() + 20_000; rows.length < 3 && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      rows = await points();
    }
    const report = await stop();
    expect(report.undelivered).toBe(0);
    expect(report.routes.influxdb).toMatchObject({ received: 3, sent: 3 });
    expect(rows.map((r) => r.reason).sort()).toEqual(['BackOff', 'BackOff', 'Pulled']);
    expect(rows.every((r) => r.cluster_name === 'east' && r.object_name === 'web-1')).toBe(true);
  },
);
