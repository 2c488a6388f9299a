import type { Sink } from '@keventer/core';
import { buildEvent, startForwarding, waitFor } from '@keventer/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { registerForwarderMetrics } from '../src/index.js';

describe('keventer_callback_errors_total', () => {
  it('counts the throws of user callbacks per route and callback', async () => {
    const names: string[] = [];
    const sink: Sink = {
      name: 'webhook',
      async write(batch) {
        names.push(...batch.map((e) => e.involvedObject.name));
      },
    };
    const filter = () => {
      throw new Error('filter broke');
    };
    const { api, forwarder } = await startForwarding(
      [{ name: 'hook', sink, filter, delivery: { batch: { timeoutMs: 5 } } }],
      { registerCleanup: onTestFinished },
    );
    for (const name of ['a', 'b']) {
      api.createEvent(buildEvent({ involvedObject: { kind: 'Pod', namespace: 'shop', name } }));
    }
    await waitFor(() => forwarder.metrics().routes[0]?.callbackErrors.filter === 2);
    const body = await registerForwarderMetrics(forwarder).metrics();
    const lines = new Set(body.split('\n'));
    for (const line of [
      '# TYPE keventer_callback_errors_total counter',
      'keventer_callback_errors_total{route="hook",sink="webhook",callback="filter"} 2',
      'keventer_callback_errors_total{route="hook",sink="webhook",callback="onDeadLetter"} 0',
      'keventer_callback_errors_total{route="hook",sink="webhook",callback="logger"} 0',
    ]) {
      expect(lines, line).toContain(line);
    }
  });
});
