import { createSinkFromUri } from '@keventer/core';
import { buildEvent, startForwarding } from '@keventer/testing';
import { expect, it, onTestFinished } from 'vitest';
import '../src/index.js';
import { FakeInfluxdb2 } from './support/fake-influxdb2.js';

it('forwards from the Kubernetes API through the sink to a strict InfluxDB 2.x, each occurrence one point', async () => {
  const influx = new FakeInfluxdb2();
  await influx.start();
  onTestFinished(() => influx.stop());
  const uri = `influxdb:${influx.url}?token=writer-token&org=ops&db=k8s&withfields=true&cluster_name=east&batch.maxEvents=100`;
  const { sink } = await createSinkFromUri(uri);
  const { api, stop } = await startForwarding([{ sink }], { registerCleanup: onTestFinished });

  const TOTAL = 1000;
  const pod = (i: number) => ({ kind: 'Pod', namespace: 'shop', name: `web-${i}` });
  const backOff = api.createEvent(
    buildEvent({ type: 'Warning', reason: 'BackOff', involvedObject: pod(0) }),
  );
  for (let i = 1; i < TOTAL - 1; i++)
    api.createEvent(buildEvent({ type: 'Normal', reason: 'Pulled', involvedObject: pod(i) }));
  // Again within the same second: count 2, another occurrence, another point.
  api.recurEvent('shop', backOff.metadata?.name ?? '');

  for (const deadline = Date.now() + 20_000; influx.points('k8s').length < TOTAL; ) {
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const report = await stop();
  expect(report.undelivered).toBe(0);
  expect(report.routes.influxdb).toMatchObject({ received: TOTAL, sent: TOTAL });
  const points = influx.points('k8s');
  expect(points).toHaveLength(TOTAL);
  expect(points.filter((p) => p.tags.reason === 'BackOff')).toHaveLength(2);
  expect(points.every((p) => p.tags.cluster_name === 'east')).toBe(true);
  // Batched: far fewer writes than events.
  expect(influx.requests.length).toBeLessThan(TOTAL / 10);
});
