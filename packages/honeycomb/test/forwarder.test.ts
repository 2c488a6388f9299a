import { createSinkFromUri } from '@keventer/core';
import { buildEvent, startForwarding, waitFor } from '@keventer/testing';
import { afterEach, beforeEach, expect, it, onTestFinished } from 'vitest';
// Registers the scheme, as an installed @keventer/honeycomb would be found.
import '../src/index.js';
import { FakeHoneycomb } from './support/fake-honeycomb.js';

const KEY = 'hcaik_forwarderKey0042';
let hc: FakeHoneycomb;
beforeEach(async () => {
  hc = new FakeHoneycomb({ keys: [KEY] });
  await hc.start();
});
afterEach(() => hc.stop());

it('forwards from the fake API server to Honeycomb; a throttled event is retried alone and lands once', async () => {
  const { sink } = await createSinkFromUri(
    `honeycomb:?dataset=k8s&writekey=${KEY}&apihost=${hc.url}&request.retryInitialBackoffMs=50`,
  );
  let throttled = 0;
  hc.eventFault = (data) =>
    data.reason === 'Pulled' && throttled++ === 0
      ? { status: 429, error: 'event dropped due to rate limiting' }
      : undefined;
  const { api, stop } = await startForwarding([{ sink }], { registerCleanup: onTestFinished });
  const pod = (name: string) => ({ kind: 'Pod', namespace: 'shop', name });
  const backOff = api.createEvent(
    buildEvent({ type: 'Warning', reason: 'BackOff', involvedObject: pod('web-1') }),
  );
  api.createEvent(buildEvent({ type: 'Normal', reason: 'Pulled', involvedObject: pod('web-1') }));
  api.recurEvent('shop', backOff.metadata?.name ?? '');
  await waitFor(() => hc.events.length >= 3, { timeoutMs: 20_000 });
  const report = await stop();
  expect(report.undelivered).toBe(0);
  expect(throttled).toBeGreaterThanOrEqual(2);
  expect(hc.events.map((e) => e.data.reason).sort()).toEqual(['BackOff', 'BackOff', 'Pulled']);
  expect(hc.events.map((e) => e.data.count).sort()).toEqual([1, 1, 2]);
});
