import { buildEvent, startForwarding, waitFor } from '@keventer/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { eventbridge } from '../src/index.js';
import { FakeEventBridge } from './support/fake-eventbridge.js';

describe('a forwarder from the fake API server to the strict EventBridge', () => {
  it('puts 2,000 events, each once, 16 a request, retrying only the throttled entries', async () => {
    const service = new FakeEventBridge().allow('LTAI5tFwd', 'FwdSecret77');
    await service.start();
    onTestFinished(() => service.stop());
    // Every 7th event is throttled the first time it comes.
    const throttled = new Set<string>();
    let seen = 0;
    service.entryFault = (event) => {
      const id = String(event.id);
      if (seen++ % 7 !== 3 || throttled.has(id)) return undefined;
      throttled.add(id);
      return { code: 'Throttling.User', message: 'Request was denied due to user flow control.' };
    };
    const sink = await eventbridge.fromUri(
      `eventbridge:?clusterId=c1&regionId=cn-hangzhou&accessKeyId=LTAI5tFwd&accessKeySecret=FwdSecret77&eventBusName=default&accountId=${service.accountId}&endpoint=${service.url}&request.retryInitialBackoffMs=20`,
    );
    const forwarding = await startForwarding([{ sink }], { registerCleanup: onTestFinished });
    for (let i = 0; i < 2000; i++) {
      forwarding.api.createEvent(
        buildEvent({
          type: i % 2 ? 'Warning' : 'Normal',
          involvedObject: { kind: 'Pod', namespace: 'shop', name: `p${i}` },
        }),
      );
    }
    await waitFor(() => service.accepted.length >= 2000, {
      timeoutMs: 30_000,
      what: () => `${service.accepted.length} accepted`,
    });
    const report = await forwarding.stop();
    const ids = service.accepted.map((event) => event.id);
    expect(ids).toHaveLength(2000);
    expect(new Set(ids).size).toBe(2000);
    expect(throttled.size).toBeGreaterThan(0);
    // Each throttled event came again with its id.
    for (const id of throttled) expect(ids).toContain(id);
    const sizes = service.requests.map((r) => (JSON.parse(r.body) as unknown[]).length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(16);
    expect(service.requests.length).toBeLessThan(2000 / 4); // batched, not one per event
    expect(report.routes.eventbridge?.sent).toBe(2000);
  }, 40_000);
});
