import { buildEvent, startForwarding, waitFor } from '@keventer/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { KubeEvent } from '../../core/src/event/model.js';
import { partialFailure } from '../../core/src/kit/partial-failure.js';
import {
  permanentError,
  retryableError,
  type SinkError,
} from '../../core/src/sink/contract/errors.js';
import type { EventFailure } from '../../core/src/sink/contract/partial.js';
import type { Sink } from '../../core/src/sink/contract/sink.js';
import { gate } from './support/recording-sink.js';

const NAMES = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];
// One batch of all six (maxEvents), retries after a few ms.
const DELIVERY = {
  batch: { maxEvents: NAMES.length, timeoutMs: 2000 },
  request: { retryInitialBackoffMs: 5 },
};
const nameOf = (event: KubeEvent) => event.involvedObject.name;

/**
 * A bulk service in memory: `refuse(name, write)` says whether it refuses an
 * event on its nth write (1-based) and how; it keeps the rest, as a bulk API
 * does, and answers per event. `hold(write)` may keep a write waiting.
 */
function bulkSink(
  refuse: (name: string, write: number) => SinkError | undefined,
  hold: (write: number) => Promise<void> = async () => {},
) {
  const written: string[] = [];
  const kept: string[] = [];
  let writes = 0;
  const sink: Sink = {
    name: 'bulk',
    async write(batch) {
      const write = ++writes;
      await hold(write);
      const failures: EventFailure[] = [];
      for (const [index, event] of batch.entries()) {
        written.push(nameOf(event));
        const error = refuse(nameOf(event), write);
        if (error) failures.push({ index, error });
        else kept.push(nameOf(event));
      }
      if (failures.length > 0) throw partialFailure('bulk', batch, failures);
    },
  };
  return { sink, written, kept };
}

const count = (names: readonly string[], name: string) => names.filter((n) => n === name).length;

describe('forwarder: partial writes', () => {
  it('re-sends only the events that failed retryably: each delivered once, the accepted ones acknowledged at once', async () => {
    const retry = gate();
    const busy = retryableError('bulk', 'es_rejected_execution_exception');
    const service = bulkSink(
      (name, write) => (write === 1 && (name === 'p1' || name === 'p4') ? busy : undefined),
      (write) => (write === 2 ? retry.promise : Promise.resolve()),
    );
    const { api, forwarder, stream } = await startForwarding(
      [{ name: 'bulk', sink: service.sink, delivery: DELIVERY }],
      { registerCleanup: onTestFinished },
    );
    for (const name of NAMES) {
      api.createEvent(buildEvent({ involvedObject: { kind: 'Pod', namespace: 'shop', name } }));
    }
    const route = () => forwarder.metrics().routes[0];
    // The retry of p1 and p4 is held: the four others are already delivered and acknowledged.
    await waitFor(() => route()?.sent === 4, { what: () => JSON.stringify(route()) });
    expect(forwarder.metrics().unacknowledged).toBe(2);
    expect(route()).toMatchObject({ inFlight: 2, partialBatches: 1, partialAccepted: 4 });
    retry.open();
    await waitFor(() => route()?.sent === 6, { what: () => JSON.stringify(route()) });
    expect([...service.kept].sort()).toEqual(NAMES); // each exactly once
    for (const name of NAMES) {
      expect(count(service.written, name), name).toBe(name === 'p1' || name === 'p4' ? 2 : 1);
    }
    expect(route()).toMatchObject({
      retries: 1,
      retriedEvents: 2,
      deadLettered: 0,
      inFlight: 0,
    });
    await waitFor(() => forwarder.metrics().unacknowledged === 0);
    expect(stream.checkpoint().resourceVersion).toBe(api.resourceVersion);
  });

  it('dead-letters only the event that failed permanently; the rest are acknowledged and the checkpoint passes all', async () => {
    const mapping = permanentError('bulk', 'mapper_parsing_exception: failed to parse [count]');
    const service = bulkSink((name) => (name === 'p2' ? mapping : undefined));
    const deadLetters: Array<{ names: string[]; error: string; reason: string }> = [];
    const { api, forwarder, stream } = await startForwarding(
      [
        {
          name: 'bulk',
          sink: service.sink,
          delivery: DELIVERY,
          onDeadLetter: (events, error, info) => {
            deadLetters.push({
              names: events.map(nameOf),
              error: error.message,
              reason: info.reason,
            });
          },
        },
      ],
      { registerCleanup: onTestFinished },
    );
    for (const name of NAMES) {
      api.createEvent(buildEvent({ involvedObject: { kind: 'Pod', namespace: 'shop', name } }));
    }
    const route = () => forwarder.metrics().routes[0];
    await waitFor(() => route()?.sent === 5 && route()?.deadLettered === 1, {
      what: () => JSON.stringify(route()),
    });
    expect(deadLetters).toEqual([
      {
        names: ['p2'],
        error: '[keventer] [bulk] mapper_parsing_exception: failed to parse [count]',
        reason: 'permanent',
      },
    ]);
    expect(service.written).toEqual(NAMES); // one write, nothing re-sent
    expect(route()).toMatchObject({
      retries: 0,
      retriedEvents: 0,
      partialBatches: 1,
      partialAccepted: 5,
      failedBy: { permanent: 1, retries_exhausted: 0, deadline: 0 },
    });
    await waitFor(() => forwarder.metrics().unacknowledged === 0);
    expect(stream.checkpoint().resourceVersion).toBe(api.resourceVersion);
  });
});
