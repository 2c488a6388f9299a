import { existsSync } from 'node:fs';
import type { KubeEvent, Sink } from '@keventer/core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildEvent, startForwarding, waitFor } from '../src/index.js';

/** A sink that keeps what it is given. */
function recorder(): Sink & { events: KubeEvent[] } {
  const events: KubeEvent[] = [];
  return {
    name: 'recorder',
    events,
    async write(batch) {
      events.push(...batch);
    },
  };
}

const pod = (name: string) => ({ kind: 'Pod', namespace: 'shop', name });
/** Sends at once instead of after the default 1 s batch timeout. */
const delivery = { batch: { timeoutMs: 5 } };

describe('startForwarding', () => {
  it('forwards events created on its API server; stop() reports, closes the server and removes the kubeconfig', async () => {
    const sink = recorder();
    let kubeConfig = '';
    const { api, stream, stop } = await startForwarding(
      (cluster) => {
        kubeConfig = cluster.kubeConfig;
        return [{ sink, delivery }];
      },
      { registerCleanup: onTestFinished },
    );
    expect(stream.state.phase).toBe('watching');
    expect(existsSync(kubeConfig)).toBe(true);
    api.createEvent(buildEvent({ type: 'Warning', reason: 'BackOff', involvedObject: pod('a') }));
    await waitFor(() => sink.events.length === 1);
    const report = await stop();
    expect(sink.events.map((e) => [e.reason, e.involvedObject.name])).toEqual([['BackOff', 'a']]);
    expect(report.routes.recorder).toMatchObject({ received: 1, sent: 1 });
    expect(report.undelivered).toBe(0);
    expect(await stop()).toBe(report);
    expect(stream.state.phase).toBe('stopped');
    await expect(fetch(`${api.url}/api/v1/events`)).rejects.toThrow();
    expect(existsSync(kubeConfig)).toBe(false);
  });

  it("passes the server's, the stream's and the forwarder's options on", async () => {
    const sink = recorder();
    const { api, stop } = await startForwarding([{ sink, delivery }], {
      api: { token: 't0k3n' },
      stream: { fieldSelector: 'type=Warning' },
      drainTimeoutMs: 1000,
      registerCleanup: onTestFinished,
    });
    api.createEvent(buildEvent({ type: 'Normal', reason: 'Pulled', involvedObject: pod('a') }));
    api.createEvent(buildEvent({ type: 'Warning', reason: 'Failed', involvedObject: pod('b') }));
    await waitFor(() => sink.events.length === 1);
    await stop();
    expect(sink.events.map((e) => e.reason)).toEqual(['Failed']);
    expect(api.requests.some((r) => r.kind === 'watch' && r.status === 200)).toBe(true);
    expect(api.requests.every((r) => r.status !== 401)).toBe(true);
  });
});

describe('waitFor', () => {
  it('resolves once the predicate holds', async () => {
    const items: number[] = [];
    setTimeout(() => items.push(1), 20);
    await waitFor(() => items.length === 1, { timeoutMs: 2000 });
    expect(items).toEqual([1]);
  });

  it('times out with what it waited for and what there was instead', async () => {
    const items: number[] = [];
    await expect(
      waitFor(() => items.length === 1, { timeoutMs: 30, what: () => `items: ${items.length}` }),
    ).rejects.toThrow('timed out after 30 ms waiting for items.length === 1: items: 0');
  });
});
