import { describe, expect, it, vi } from 'vitest';
import {
  type AttemptInfo,
  createSender,
  type SenderOptions,
  type SenderRequestOptions,
} from '../src/delivery/sender.js';
import type { KubeEvent } from '../src/event/model.js';
import { permanentError, retryableError, type SinkError } from '../src/sink/contract/errors.js';
import type { Sink, SinkWriteContext } from '../src/sink/contract/sink.js';
import { kubeEvent } from './support/kube-event.js';

// Short times throughout: the whole file runs in about a second.
const REQUEST: SenderRequestOptions = {
  concurrency: 1,
  timeoutMs: 1000,
  rateLimitNum: Infinity,
  rateLimitDurationMs: 1000,
  retryAttempts: 5,
  retryInitialBackoffMs: 5,
  retryMaxDurationMs: 5000,
};

type Script = (call: number, ctx: SinkWriteContext, batch: readonly KubeEvent[]) => unknown;

/** A sink running `script` per write (1-based call number) and recording the calls. */
function fakeSink(script: Script = () => undefined) {
  const calls: { batch: readonly KubeEvent[]; signal: AbortSignal; at: number }[] = [];
  const sink: Sink = {
    name: 'fake',
    write(batch, ctx) {
      calls.push({ batch, signal: ctx.signal, at: performance.now() });
      return Promise.resolve(script(calls.length, ctx, batch)).then(() => undefined);
    },
  };
  return { sink, calls };
}

function sender(
  sink: Sink,
  request: Partial<SenderRequestOptions> = {},
  extra: Partial<SenderOptions> = {},
) {
  return createSender({ sink, request: { ...REQUEST, ...request }, ...extra });
}

const batch = (n = 2, tag = 'b'): KubeEvent[] =>
  Array.from({ length: n }, (_, i) => kubeEvent({ uid: `${tag}-${i}` }));

const failing = (n: number, make = () => retryableError('fake', 'HTTP 503')): Script => {
  return (call) => {
    if (call <= n) throw make();
  };
};

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Tracks whether a promise has settled, without awaiting it. */
function track(p: Promise<unknown>) {
  const state = { done: false };
  void p.then(() => {
    state.done = true;
  });
  return state;
}
const never = () => new Promise<never>(() => {});

describe('createSender: delivery and retries', () => {
  it('delivers a batch and counts it', async () => {
    const { sink, calls } = fakeSink();
    const attempts: AttemptInfo[] = [];
    const s = sender(sink, {}, { onAttempt: (i) => attempts.push(i) });
    const events = batch(3);
    await expect(s.send(events)).resolves.toEqual({ delivered: true, attempts: 1 });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.batch).toBe(events);
    expect(attempts).toEqual([{ attempt: 1, events: 3, durationMs: expect.any(Number) }]);
    expect(s.stats).toMatchObject({ sentBatches: 1, sentEvents: 3, retries: 0 });
    expect(s.stats.lastSendLatencyMs).toBeGreaterThanOrEqual(0);
    expect(s.stats.lastError).toBeUndefined();
  });

  it('retries a sink failing N times, then delivers (N + 1 attempts)', async () => {
    const { sink, calls } = fakeSink(failing(3));
    const attempts: AttemptInfo[] = [];
    const onDeadLetter = vi.fn();
    const s = sender(sink, {}, { onAttempt: (i) => attempts.push(i), onDeadLetter });
    await expect(s.send(batch())).resolves.toEqual({ delivered: true, attempts: 4 });
    expect(calls).toHaveLength(4);
    expect(attempts.map((a) => [a.attempt, a.error?.statusCode ?? a.error?.message])).toEqual([
      [1, '[keventer] [fake] HTTP 503'],
      [2, '[keventer] [fake] HTTP 503'],
      [3, '[keventer] [fake] HTTP 503'],
      [4, undefined],
    ]);
    // Doubling backoff ceilings from 5 ms, half of each random: 3-5, 5-10, 10-20.
    const waits = attempts.slice(0, 3).map((a) => a.retryInMs!);
    expect(waits[0]).toBeGreaterThanOrEqual(2);
    expect(waits[0]).toBeLessThanOrEqual(5);
    expect(waits[2]).toBeGreaterThanOrEqual(10);
    expect(waits[2]).toBeLessThanOrEqual(20);
    expect(s.stats).toMatchObject({ sentBatches: 1, retries: 3 });
    expect(s.stats.lastError).toBe('[keventer] [fake] HTTP 503');
    expect(onDeadLetter).not.toHaveBeenCalled();
  });

  it('uses the injected random for jitter', async () => {
    const { sink } = fakeSink(failing(1));
    const waits: number[] = [];
    const s = sender(
      sink,
      { retryInitialBackoffMs: 10 },
      { random: () => 0, onAttempt: (i) => i.retryInMs && waits.push(i.retryInMs) },
    );
    await s.send(batch());
    expect(waits).toEqual([5]);
  });

  it('dead-letters a permanent error without retrying', async () => {
    const error = permanentError('fake', 'HTTP 400 Bad Request', { statusCode: 400 });
    const { sink, calls } = fakeSink(failing(Infinity, () => error));
    const onDeadLetter = vi.fn();
    const attempts: AttemptInfo[] = [];
    const s = sender(sink, {}, { onDeadLetter, onAttempt: (i) => attempts.push(i) });
    const events = batch(2);
    await expect(s.send(events)).resolves.toEqual({
      delivered: false,
      attempts: 1,
      reason: 'permanent',
      error,
    });
    expect(calls).toHaveLength(1);
    expect(onDeadLetter).toHaveBeenCalledExactlyOnceWith(events, error, {
      reason: 'permanent',
      attempts: 1,
    });
    expect(attempts).toEqual([
      { attempt: 1, events: 2, durationMs: expect.any(Number), error, giveUp: 'permanent' },
    ]);
    expect(s.stats.failedBatches).toEqual({
      permanent: 1,
      retries_exhausted: 0,
      deadline: 0,
      aborted: 0,
    });
    expect(s.stats.failedEvents.permanent).toBe(2);
    expect(s.stats.lastError).toBe('[keventer] [fake] HTTP 400 Bad Request');
  });

  it('classifies what is not a SinkError with toSinkError', async () => {
    // A TypeError is a bug: permanent, so tried once.
    const typeErr = fakeSink(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    });
    const bug = await sender(typeErr.sink).send(batch());
    expect(bug).toMatchObject({ delivered: false, attempts: 1, reason: 'permanent' });
    expect(typeErr.calls).toHaveLength(1);

    // An unknown Error is retryable; a synchronous throw counts as a failed attempt.
    let n = 0;
    const syncThrow: Sink = {
      name: 'sync',
      write() {
        n++;
        if (n === 1) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        return Promise.resolve();
      },
    };
    const errors: (SinkError | undefined)[] = [];
    const out = await sender(syncThrow, {}, { onAttempt: (i) => errors.push(i.error) }).send(
      batch(),
    );
    expect(out).toEqual({ delivered: true, attempts: 2 });
    expect(errors[0]).toMatchObject({ name: 'SinkError', sink: 'sync', retryable: true });
    expect(errors[0]!.message).toContain('ECONNRESET');
  });

  it('retryAttempts bounds the number of attempts', async () => {
    const { sink, calls } = fakeSink(failing(Infinity));
    const onDeadLetter = vi.fn();
    const out = await sender(sink, { retryAttempts: 3 }, { onDeadLetter }).send(batch());
    expect(out).toMatchObject({ delivered: false, attempts: 4, reason: 'retries_exhausted' });
    expect(calls).toHaveLength(4);
    expect(onDeadLetter).toHaveBeenCalledOnce();

    const once = fakeSink(failing(Infinity));
    const none = await sender(once.sink, { retryAttempts: 0 }).send(batch());
    expect(none).toMatchObject({ delivered: false, attempts: 1, reason: 'retries_exhausted' });
    expect(once.calls).toHaveLength(1);
  });

  it('retryMaxDurationMs bounds the total time', async () => {
    const { sink, calls } = fakeSink(failing(Infinity));
    const s = sender(sink, {
      retryAttempts: Infinity,
      retryInitialBackoffMs: 20,
      retryMaxDurationMs: 300,
    });
    const t0 = performance.now();
    const out = await s.send(batch(1));
    const took = performance.now() - t0;
    expect(out).toMatchObject({ delivered: false, reason: 'deadline' });
    // Waits of 10-20, 20-40, 40-80, 80-160 ms...: 4 to 6 attempts fit in 300 ms.
    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(calls.length).toBeLessThanOrEqual(6);
    expect(took).toBeLessThan(300);
    expect(s.stats.failedBatches.deadline).toBe(1);
  });

  it("gives up at once when the server's Retry-After is past the budget", async () => {
    const error = retryableError('fake', 'HTTP 429', { statusCode: 429, retryAfterMs: 60_000 });
    const { sink, calls } = fakeSink(failing(Infinity, () => error));
    const t0 = performance.now();
    const out = await sender(sink, { retryMaxDurationMs: 1000 }).send(batch());
    expect(out).toEqual({ delivered: false, attempts: 1, reason: 'deadline', error });
    expect(calls).toHaveLength(1);
    expect(performance.now() - t0).toBeLessThan(200);
  });

  it('honours a short Retry-After over a shorter backoff', async () => {
    const error = retryableError('fake', 'HTTP 429', { statusCode: 429, retryAfterMs: 120 });
    const { sink, calls } = fakeSink(failing(1, () => error));
    const out = await sender(sink).send(batch());
    expect(out).toEqual({ delivered: true, attempts: 2 });
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(120);
  });
});

describe('createSender: per-attempt timeout', () => {
  it('ends an attempt after timeoutMs even if the sink ignores its signal, and retries', async () => {
    const { sink, calls } = fakeSink((call) => (call === 1 ? never() : undefined));
    const errors: (SinkError | undefined)[] = [];
    const s = sender(sink, { timeoutMs: 50 }, { onAttempt: (i) => errors.push(i.error) });
    const t0 = performance.now();
    await expect(s.send(batch())).resolves.toEqual({ delivered: true, attempts: 2 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(49);
    expect(calls[0]!.signal.aborted).toBe(true);
    expect((calls[0]!.signal.reason as Error).name).toBe('TimeoutError');
    expect(calls[1]!.signal.aborted).toBe(false);
    expect(errors[0]).toMatchObject({ retryable: true });
    expect(errors[0]!.message).toBe('[keventer] [fake] timed out after 50 ms');
  });

  it('a sink that honours its signal ends with the same timeout error', async () => {
    const { sink } = fakeSink(
      (_n, ctx) =>
        new Promise((_r, reject) =>
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)),
        ),
    );
    const out = await sender(sink, { timeoutMs: 20, retryAttempts: 1 }).send(batch());
    expect(out).toMatchObject({ delivered: false, attempts: 2, reason: 'retries_exhausted' });
    if (!out.delivered) expect(out.error.message).toContain('timed out after 20 ms');
  });

  it('gives retries only what is left of the budget', async () => {
    const { sink, calls } = fakeSink(never);
    const t0 = performance.now();
    const out = await sender(sink, {
      timeoutMs: 300,
      retryAttempts: Infinity,
      retryInitialBackoffMs: 10,
      retryMaxDurationMs: 750,
    }).send(batch());
    const took = performance.now() - t0;
    expect(out).toMatchObject({ delivered: false, reason: 'deadline' });
    // 0-300 attempt, 5-10 wait, ~310-610 attempt, 10-20 wait, the rest (~120-140 ms) for a
    // third, cut at the budget: a whole third attempt would end past 920 ms. The margins
    // leave room for a loaded machine's late timers (100 ms of budget did not).
    expect(calls).toHaveLength(3);
    expect(took).toBeGreaterThanOrEqual(745);
    expect(took).toBeLessThan(900);
  });
});

describe('createSender: concurrency and rate limit', () => {
  it('never has more than `concurrency` batches in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const { sink, calls } = fakeSink(async () => {
      most = Math.max(most, ++inFlight);
      await delay(15);
      inFlight--;
    });
    const s = sender(sink, { concurrency: 3 });
    const outs = await Promise.all(Array.from({ length: 10 }, () => s.send(batch(1))));
    expect(outs.every((o) => o.delivered)).toBe(true);
    expect(calls).toHaveLength(10);
    expect(most).toBe(3);
  });

  it('keeps order with concurrency 1, retries included', async () => {
    const delivered: string[] = [];
    const { sink } = fakeSink((call, _ctx, b) => {
      if (call === 1) throw retryableError('fake', 'HTTP 503');
      delivered.push(b[0]!.uid);
    });
    const s = sender(sink, { concurrency: 1 });
    await Promise.all(['a', 'b', 'c'].map((tag) => s.send(batch(1, tag))));
    expect(delivered).toEqual(['a-0', 'b-0', 'c-0']);
  });

  it('starts at most rateLimitNum batches in any rateLimitDurationMs', async () => {
    const { sink, calls } = fakeSink();
    const s = sender(sink, { concurrency: 10, rateLimitNum: 5, rateLimitDurationMs: 200 });
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 20 }, () => s.send(batch(1))));
    const took = performance.now() - t0;
    expect(calls).toHaveLength(20);
    // Sliding window: the 6th start is 200 ms after the 1st, and so on.
    for (let i = 0; i + 5 < calls.length; i++) {
      expect(calls[i + 5]!.at - calls[i]!.at).toBeGreaterThanOrEqual(195);
    }
    expect(took).toBeGreaterThanOrEqual(590);
    expect(took).toBeLessThan(1000);
  });
});

describe('createSender: ready (backpressure)', () => {
  /** A sink whose writes end when the test says so, in order. */
  function heldSink() {
    const ends: (() => void)[] = [];
    const { sink, calls } = fakeSink(() => new Promise<void>((end) => ends.push(end)));
    const endNext = () => ends.shift()?.();
    return { sink, calls, endNext };
  }

  const until = async (done: () => boolean) => {
    const deadline = performance.now() + 2000;
    while (!done()) {
      if (performance.now() > deadline) throw new Error('timed out waiting');
      await delay(1);
    }
  };

  it('waits while `concurrency` batches are held and resolves when one settles', async () => {
    const { sink, calls, endNext } = heldSink();
    const s = sender(sink, { concurrency: 2 });
    await s.ready(); // empty: at once
    const first = s.send(batch(1, 'a'));
    await s.ready(); // one of two slots held
    void s.send(batch(1, 'b'));
    const ready = track(s.ready());
    await until(() => calls.length === 2);
    expect(ready.done).toBe(false);
    endNext();
    await first;
    await until(() => ready.done);
  });

  it('counts a batch waiting for the rate limit as held', async () => {
    const { sink, calls, endNext } = heldSink();
    const s = sender(sink, { concurrency: 2, rateLimitNum: 1, rateLimitDurationMs: 60_000 });
    const first = s.send(batch(1, 'a'));
    void s.send(batch(1, 'b')); // queued: the window allows one start
    const ready = track(s.ready());
    await until(() => calls.length === 1);
    expect(ready.done).toBe(false);
    endNext();
    await first;
    await until(() => ready.done);
    expect(calls).toHaveLength(1); // the second still waits for the window
  });
});

describe('createSender: abort, dead letters, observers', () => {
  it('an abort stops retries, gives up the queued batches and later sends', async () => {
    const controller = new AbortController();
    const { sink, calls } = fakeSink(failing(Infinity));
    const onDeadLetter = vi.fn();
    const s = sender(
      sink,
      { retryAttempts: Infinity, retryInitialBackoffMs: 50 },
      { signal: controller.signal, onDeadLetter },
    );
    const first = s.send(batch(2, 'first'));
    const queued = s.send(batch(3, 'queued'));
    await delay(70); // the first batch failed twice and waits to retry
    const made = calls.length;
    controller.abort(new Error('shutdown'));
    const [a, b] = await Promise.all([first, queued]);
    expect(a).toMatchObject({ delivered: false, reason: 'aborted', attempts: made });
    expect(b).toMatchObject({ delivered: false, reason: 'aborted', attempts: 0 });
    if (!a.delivered) {
      expect(a.error.retryable).toBe(true);
      expect(a.error.message).toContain('aborted after');
    }
    await delay(120);
    expect(calls).toHaveLength(made);
    expect(calls.every((c) => c.batch[0]!.uid.startsWith('first'))).toBe(true);
    await expect(s.send(batch(1))).resolves.toMatchObject({ reason: 'aborted', attempts: 0 });
    expect(onDeadLetter).toHaveBeenCalledTimes(3);
    expect(s.stats.failedBatches.aborted).toBe(3);
    expect(s.stats.failedEvents.aborted).toBe(6);
  });

  it('an abort ends an attempt in flight and aborts its signal', async () => {
    const controller = new AbortController();
    const { sink, calls } = fakeSink(never);
    const s = sender(sink, {}, { signal: controller.signal });
    const out = s.send(batch());
    await delay(10);
    controller.abort(new Error('shutdown'));
    await expect(out).resolves.toMatchObject({ delivered: false, reason: 'aborted', attempts: 1 });
    expect(calls[0]!.signal.aborted).toBe(true);
  });

  it('a batch delivered just before the abort counts as delivered', async () => {
    // The stop comes right after the write resolved (the clock is read there):
    // the batch is delivered, not given up.
    const controller = new AbortController();
    const { sink, calls } = fakeSink();
    const now = () => {
      if (calls.length > 0) controller.abort();
      return performance.now();
    };
    const onDeadLetter = vi.fn();
    const s = sender(sink, {}, { signal: controller.signal, onDeadLetter, now });
    await expect(s.send(batch())).resolves.toEqual({ delivered: true, attempts: 1 });
    expect(onDeadLetter).not.toHaveBeenCalled();
    expect(s.stats.sentBatches).toBe(1);
  });

  it('awaits onDeadLetter before send resolves', async () => {
    const { sink } = fakeSink(failing(Infinity, () => permanentError('fake', 'HTTP 401')));
    let stored = false;
    const s = sender(
      sink,
      {},
      {
        onDeadLetter: async () => {
          await delay(20);
          stored = true;
        },
      },
    );
    await s.send(batch());
    expect(stored).toBe(true);
  });

  it('rejects when a dead-letter handler or an observer throws, without re-sending', async () => {
    const { sink } = fakeSink(failing(Infinity, () => permanentError('fake', 'HTTP 401')));
    const dl = sender(sink, {}, { onDeadLetter: () => Promise.reject(new Error('disk full')) });
    await expect(dl.send(batch())).rejects.toThrow('disk full');

    const ok = fakeSink();
    const observed = sender(
      ok.sink,
      {},
      {
        onAttempt: () => {
          throw new Error('observer bug');
        },
      },
    );
    await expect(observed.send(batch())).rejects.toThrow('observer bug');
    expect(ok.calls).toHaveLength(1);
    expect(observed.stats.sentBatches).toBe(1);
  });

  it('has no surface for tests only: send, ready (the route waits on it) and stats', () => {
    expect(Object.keys(sender(fakeSink().sink))).toEqual(['send', 'ready', 'stats']);
  });

  it('every send settles: five sends through two slots all deliver', async () => {
    const { sink } = fakeSink(() => delay(20));
    const s = sender(sink, { concurrency: 2 });
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => s.send(batch(1))));
    expect(outcomes.every((outcome) => outcome.delivered)).toBe(true);
    expect(s.stats.sentBatches).toBe(5);
  });

  it('many queued batches on one signal raise no listener-leak warning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const { sink } = fakeSink();
      const s = sender(sink, {}, { signal: new AbortController().signal });
      await Promise.all(Array.from({ length: 30 }, () => s.send(batch(1))));
      await delay(5); // warnings are emitted on a later tick
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('an empty batch is delivered without a write', async () => {
    const { sink, calls } = fakeSink();
    const s = sender(sink);
    await expect(s.send([])).resolves.toEqual({ delivered: true, attempts: 0 });
    expect(calls).toHaveLength(0);
    expect(s.stats.sentBatches).toBe(0);
  });

  it('stats is a snapshot', async () => {
    const { sink } = fakeSink();
    const s = sender(sink);
    const before = s.stats;
    await s.send(batch());
    expect(before.sentBatches).toBe(0);
    expect(s.stats.sentBatches).toBe(1);
    (s.stats.failedBatches as Record<string, number>).permanent = 99;
    expect(s.stats.failedBatches.permanent).toBe(0);
  });
});
