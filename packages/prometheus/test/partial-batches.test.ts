import type { Sink } from '@keventer/core';
import { partialFailure, retryableError } from '@keventer/core/kit';
import { buildEvent, startForwarding, waitFor } from '@keventer/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { registerForwarderMetrics } from '../src/index.js';

describe('partial writes', () => {
  it('counts partly failed writes, what they accepted and the events retried', async () => {
    let writes = 0;
    // A bulk service that refuses the first event of the first write, once.
    const sink: Sink = {
      name: 'bulk',
      async write(batch) {
        writes++;
        if (writes === 1) {
          throw partialFailure('bulk', batch, [
            { index: 0, error: retryableError('bulk', 'busy') },
          ]);
        }
      },
    };
    const delivery = {
      batch: { maxEvents: 3, timeoutMs: 2000 },
      request: { retryInitialBackoffMs: 5 },
    };
    const { api, forwarder } = await startForwarding([{ name: 'es', sink, delivery }], {
      registerCleanup: onTestFinished,
    });
    for (const name of ['a', 'b', 'c']) {
      api.createEvent(buildEvent({ involvedObject: { kind: 'Pod', namespace: 'shop', name } }));
    }
    await waitFor(() => forwarder.metrics().routes[0]?.sent === 3);
    const lines = new Set((await registerForwarderMetrics(forwarder).metrics()).split('\n'));
    for (const line of [
      '# TYPE keventer_partial_batches_total counter',
      'keventer_partial_batches_total{route="es",sink="bulk"} 1',
      'keventer_partial_accepted_events_total{route="es",sink="bulk"} 2',
      'keventer_send_retried_events_total{route="es",sink="bulk"} 1',
      'keventer_send_retries_total{route="es",sink="bulk"} 1',
    ]) {
      expect(lines, line).toContain(line);
    }
  });
});
