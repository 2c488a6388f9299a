import { createSinkFromUri } from '@keventer/core';
import { buildEvent, startForwarding, waitFor } from '@keventer/testing';
import { afterEach, beforeEach, expect, it, onTestFinished } from 'vitest';
// Registers the scheme, as an installed @keventer/riemann would be found.
import '../src/index.js';
import { attributesOf, FakeRiemann } from './support/fake-riemann.js';

let server: FakeRiemann;
beforeEach(async () => {
  server = new FakeRiemann();
  await server.start();
});
afterEach(() => server.stop());

it('forwards from the fake API server to Riemann, reconnecting after the server dropped the connection', async () => {
  const { sink } = await createSinkFromUri(
    `riemann:${server.address}?ttl=60&batchsize=1000&tags=x&request.retryInitialBackoffMs=50`,
  );
  const { api, stop } = await startForwarding([{ sink }], { registerCleanup: onTestFinished });
  const pod = (name: string) => ({ kind: 'Pod', namespace: 'shop', name });
  api.createEvent(buildEvent({ type: 'Warning', reason: 'BackOff', involvedObject: pod('web-1') }));
  await waitFor(() => server.events.length >= 1, { timeoutMs: 20_000 });
  server.dropNext = 'mid-message';
  api.createEvent(buildEvent({ type: 'Normal', reason: 'Pulled', involvedObject: pod('web-2') }));
  await waitFor(() => server.events.length >= 2, { timeoutMs: 20_000 });
  const report = await stop();
  expect(report.undelivered).toBe(0);
  expect(server.connections).toBe(2);
  expect(server.events.map((e) => [e.service, e.state, attributesOf(e).name, e.tags])).toEqual([
    ['Pod.BackOff', 'warning', 'web-1', ['x']],
    ['Pod.Pulled', 'ok', 'web-2', ['x']],
  ]);
});
