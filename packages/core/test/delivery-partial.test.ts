import { describe, expect, it } from 'vitest';
import { createSender, type SenderRequestOptions } from '../src/delivery/sender.js';
import type { KubeEvent } from '../src/event/model.js';
import { partialFailure } from '../src/kit/partial-failure.js';
import { permanentError, retryableError, type SinkError } from '../src/sink/contract/errors.js';
import {
  type EventFailure,
  eventFailureProblems,
  isPartialWriteError,
} from '../src/sink/contract/partial.js';
import type { Sink } from '../src/sink/contract/sink.js';
import { defineSink } from '../src/sink/define/define-sink.js';
import { option } from '../src/sink/options/options.js';
import { kubeEvent } from './support/kube-event.js';

const REQUEST: SenderRequestOptions = {
  concurrency: 1,
  timeoutMs: 1000,
  rateLimitNum: Infinity,
  rateLimitDurationMs: 1000,
  retryAttempts: 5,
  retryInitialBackoffMs: 5,
  retryMaxDurationMs: 5000,
};

const events = (n: number): KubeEvent[] =>
  Array.from({ length: n }, (_, i) => kubeEvent({ uid: `e-${i}` }));
const uids = (batch: readonly KubeEvent[]) => batch.map((e) => e.uid);

/**
 * A bulk sink: `refuse(call, batch)` names the uids the service refuses on
 * that write and how; the others are accepted and recorded.
 */
function bulkSink(refuse: (call: number) => Partial<Record<string, SinkError>>) {
  const writes: string[][] = [];
  const accepted: string[] = [];
  const sink: Sink = {
    name: 'bulk',
    async write(batch) {
      writes.push(uids(batch));
      const refused = refuse(writes.length);
      const failures: EventFailure[] = [];
      for (const [index, event] of batch.entries()) {
        const error = refused[event.uid];
        if (error) failures.push({ index, error });
        else accepted.push(event.uid);
      }
      if (failures.length > 0) throw partialFailure('bulk', batch, failures);
    },
  };
  return { sink, writes, accepted };
}

function record() {
  const delivered: string[][] = [];
  const deadLettered: Array<{ uids: string[]; reason: string; error: string }> = [];
  return {
    delivered,
    deadLettered,
    onDelivered: (batch: readonly KubeEvent[]) => delivered.push(uids(batch)),
    onDeadLetter: (batch: readonly KubeEvent[], error: SinkError, info: { reason: string }) => {
      deadLettered.push({ uids: uids(batch), reason: info.reason, error: error.message });
    },
  };
}

describe('createSender: partial writes', () => {
  it('retries only the retryable failures, alone, and acknowledges the rest at once', async () => {
    const busy = retryableError('bulk', 'es_rejected_execution_exception');
    const { sink, writes, accepted } = bulkSink((call) =>
      call === 1 ? { 'e-1': busy, 'e-3': busy } : {},
    );
    const seen = record();
    const sender = createSender({ sink, request: REQUEST, ...seen });
    const outcome = await sender.send(events(4));
    expect(outcome).toEqual({ delivered: true, attempts: 2 });
    expect(writes).toEqual([
      ['e-0', 'e-1', 'e-2', 'e-3'],
      ['e-1', 'e-3'],
    ]);
    expect(accepted.sort()).toEqual(['e-0', 'e-1', 'e-2', 'e-3']); // each once
    expect(seen.delivered).toEqual([
      ['e-0', 'e-2'],
      ['e-1', 'e-3'],
    ]);
    expect(seen.deadLettered).toEqual([]);
    expect(sender.stats).toMatchObject({
      sentEvents: 4,
      sentBatches: 1,
      retries: 1,
      retriedEvents: 2,
      partialBatches: 1,
      partialAccepted: 2,
    });
  });

  it('dead-letters only the permanent failures, with their own error, and delivers the rest', async () => {
    const mapping = permanentError('bulk', 'mapper_parsing_exception: field [x]');
    const { sink, writes } = bulkSink((call) => (call === 1 ? { 'e-2': mapping } : {}));
    const seen = record();
    const sender = createSender({ sink, request: REQUEST, ...seen });
    const outcome = await sender.send(events(3));
    expect(outcome).toMatchObject({ delivered: false, reason: 'permanent', attempts: 1 });
    expect(writes).toHaveLength(1);
    expect(seen.delivered).toEqual([['e-0', 'e-1']]);
    expect(seen.deadLettered).toEqual([
      {
        uids: ['e-2'],
        reason: 'permanent',
        error: '[keventer] [bulk] mapper_parsing_exception: field [x]',
      },
    ]);
    expect(sender.stats.failedEvents.permanent).toBe(1);
    expect(sender.stats.retries).toBe(0);
  });

  it('mixes both, honours the longest Retry-After, and spends the budget as for a batch', async () => {
    const slow = retryableError('bulk', 'throttled', { retryAfterMs: 40 });
    const fast = retryableError('bulk', 'busy');
    const bad = permanentError('bulk', 'bad document');
    const { sink, writes } = bulkSink(() => ({ 'e-0': bad, 'e-1': fast, 'e-2': slow }));
    const seen = record();
    const sender = createSender({
      sink,
      request: { ...REQUEST, retryAttempts: 2 },
      ...seen,
    });
    const started = performance.now();
    const outcome = await sender.send(events(4));
    expect(performance.now() - started).toBeGreaterThanOrEqual(75); // two waits of 40 ms
    expect(writes).toEqual([
      ['e-0', 'e-1', 'e-2', 'e-3'],
      ['e-1', 'e-2'],
      ['e-1', 'e-2'],
    ]);
    expect(seen.delivered).toEqual([['e-3']]);
    expect(seen.deadLettered.map((d) => [d.uids, d.reason])).toEqual([
      [['e-0'], 'permanent'],
      [['e-1', 'e-2'], 'retries_exhausted'],
    ]);
    expect(outcome).toMatchObject({ delivered: false, reason: 'retries_exhausted', attempts: 3 });
    expect(sender.stats).toMatchObject({ retries: 2, retriedEvents: 4, partialBatches: 3 });
  });

  it('retries the whole batch when the report cannot be used (an index out of range)', async () => {
    let calls = 0;
    const sink: Sink = {
      name: 'bulk',
      async write(batch) {
        calls++;
        if (calls === 1) {
          const error = retryableError('bulk', 'busy');
          throw partialFailure('bulk', batch, [{ index: batch.length, error }]);
        }
      },
    };
    const seen = record();
    const attempts: Array<string | undefined> = [];
    const sender = createSender({
      sink,
      request: REQUEST,
      ...seen,
      onAttempt: (a) => attempts.push(a.error?.message),
    });
    await expect(sender.send(events(2))).resolves.toEqual({ delivered: true, attempts: 2 });
    expect(seen.delivered).toEqual([['e-0', 'e-1']]);
    expect(attempts[0]).toMatch(/index 2, not one of the batch's 0\.\.1.*Fix the sink/);
    expect(sender.stats.partialBatches).toBe(0);
  });
});

describe('partialFailure and its checks', () => {
  it('is a SinkError: retryable when any failure is, with the longest Retry-After', () => {
    const batch = events(5);
    const error = partialFailure('bulk', batch, [
      { index: 1, error: permanentError('bulk', 'bad') },
      { index: 3, error: retryableError('bulk', 'busy', { retryAfterMs: 2000 }) },
    ]);
    expect(isPartialWriteError(error)).toBe(true);
    expect(error).toMatchObject({ name: 'SinkError', retryable: true, retryAfterMs: 2000 });
    expect(error.message).toBe(
      '[keventer] [bulk] 2 of 5 events failed (1 retryable, 1 permanent); event 1: bad',
    );
    const permanent = partialFailure('bulk', batch, [
      { index: 0, error: permanentError('bulk', 'bad') },
    ]);
    expect(permanent.retryable).toBe(false);
  });

  it('names what is wrong with a report', () => {
    const error = retryableError('bulk', 'busy');
    expect(eventFailureProblems(3, [{ index: 0, error }])).toEqual([]);
    expect(eventFailureProblems(3, [])).toEqual(['it lists no failed event (resolve instead)']);
    expect(
      eventFailureProblems(3, [
        { index: 3, error },
        { index: 1, error },
        { index: 1, error },
        { index: 0.5, error },
        { index: 2, error: new Error('x') as SinkError },
      ]),
    ).toEqual([
      "failure 0 has index 3, not one of the batch's 0..2",
      'index 1 is listed twice',
      "failure 3 has index 0.5, not one of the batch's 0..2",
      'the error of index 2 is no SinkError (use retryableError/permanentError)',
    ]);
  });

  it("masks the sink's secrets in every failure's message, also one built outside the write", async () => {
    const token = 'tok-partial-s3cret';
    // As a client library's error, or a SinkError of another copy of core, would carry it.
    const echoed = retryableError('bulk', 'busy');
    echoed.message = `busy for Bearer ${token}`;
    const definition = defineSink({
      scheme: 'bulk-secret',
      description: 'test sink',
      options: { token: option.string({ required: true, secret: true, description: 'token' }) },
      create: (): Sink => ({
        name: 'bulk-secret',
        async write(batch) {
          throw partialFailure('bulk-secret', batch, [{ index: 0, error: echoed }]);
        },
      }),
    });
    const sink = await definition({ token });
    const error = await sink
      .write(events(2), { signal: AbortSignal.timeout(1000) })
      .catch((e) => e);
    expect(isPartialWriteError(error)).toBe(true);
    expect(error.message).not.toContain(token);
    expect(error.failures[0].error.message).not.toContain(token);
  });
});
