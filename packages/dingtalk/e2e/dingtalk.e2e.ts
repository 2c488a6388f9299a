// The DingTalk sink in a forwarder over a real kube-apiserver: events created
// and recurring through the Kubernetes API reach a (fake, strict) robot as one
// message, then one digest.

import { createSinkFromUri } from '@keventer/core';
import { FakeDingTalkServer, waitFor } from '@keventer/testing';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createEvent,
  ensureNamespace,
  recurEvent,
  startForwarder,
} from '../../integration/e2e/support.js';
import '../src/index.js';

const namespace = 'e2e-dingtalk';
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the DingTalk sink over a real kube-apiserver', () => {
  beforeAll(() => ensureNamespace(namespace));

  it('sends a recurring warning to a DingTalk robot as one message, then one digest', async () => {
    const robot = await FakeDingTalkServer.start({
      token: 'e2e',
      secret: 'SECe2e',
      keywords: ['k8s'],
    });
    cleanups.push(() => robot.close());
    const { sink } = await createSinkFromUri(robot.sinkUri({ label: '[k8s] e2e' }));
    const { forwarder, stop } = await startForwarder(namespace, [
      { sink, delivery: { aggregate: { windowMs: 2000 } } },
    ]);
    cleanups.push(stop);

    const event = await createEvent(namespace, 'api-7d4b9c8f6d-x2x9k');
    await waitFor(() => robot.messages.length === 1, {
      timeoutMs: 10_000,
      what: () => robot.renderChat(),
    });
    for (let i = 1; i <= 3; i++) await recurEvent(event, new Date(Date.now() + i * 1000));
    await waitFor(() => robot.messages.length === 2, {
      timeoutMs: 10_000,
      what: () => robot.renderChat(),
    });
    expect(robot.messages[0]?.content).toContain('[k8s] e2e\nLevel: Warning\nKind: Pod');
    expect(robot.messages[1]?.content).toMatch(/\nRepeated: 3 more times from \S+ to \S+\n/);
    // The robot saw the digest before the sender recorded its answer: wait for the metric.
    await waitFor(() => forwarder.metrics().routes[0]?.sent === 4, {
      timeoutMs: 10_000,
      what: () => JSON.stringify(forwarder.metrics().routes[0]),
    });
    expect(forwarder.metrics().routes[0]).toMatchObject({ received: 4, aggregated: 3, sent: 4 });
  }, 60_000);
});
