import { createSinkFromUri } from '@keventer/core';
import { buildEvent, startForwarding, waitFor } from '@keventer/testing';
import { expect, it, onTestFinished } from 'vitest';
import { FakeSls } from './support/fake-sls.js';

it('forwards 2,000 events from the fake API server to SLS, each once, through a throttled write', async () => {
  const fake = await new FakeSls().start();
  onTestFinished(() => fake.stop());
  fake.addLogStore('k8s-prod', 'events').addCredential('LTAI5tKeyId', 'secretOfKey01');
  // The first PutLogs is throttled, as SLS does past the write quota: the engine writes it again.
  fake.fault = ({ n }) =>
    n === 0
      ? { status: 403, errorCode: 'WriteQuotaExceed', errorMessage: 'Write quota is exceeded.' }
      : undefined;
  const { sink } = await createSinkFromUri(
    'sls:?project=k8s-prod&logStore=events&regionId=cn-hangzhou&accessKeyId=LTAI5tKeyId&accessKeySecret=$SLS_SECRET&batch.maxEvents=500',
    { env: { SLS_ENDPOINT: fake.endpoint, SLS_SECRET: 'secretOfKey01' } },
  );
  const forwarding = await startForwarding([{ sink }], { registerCleanup: onTestFinished });
  for (let i = 0; i < 2000; i++) {
    forwarding.api.createEvent(
      buildEvent({
        type: i % 2 ? 'Warning' : 'Normal',
        reason: 'BackOff',
        involvedObject: { kind: 'Pod', namespace: 'shop', name: `p${i}` },
      }),
    );
  }
  const logs = () => fake.logs('k8s-prod', 'events');
  await waitFor(() => logs().length >= 2000, { timeoutMs: 30_000 });
  const report = await forwarding.stop();
  expect(report.undelivered).toBe(0);
  const names = logs().map((log) => Object.fromEntries(log.contents).pod_name);
  expect(new Set(names).size).toBe(2000);
  expect(names).toHaveLength(2000);
  expect(fake.requests[0]?.answer).toBe(403);
  // Batches, never one request per event.
  expect(fake.requests.length).toBeLessThanOrEqual(20);
}, 40_000);
