import { afterEach, describe, expect, it, vi } from 'vitest';
import { kubeEventSize } from '../src/delivery/batch-size.js';
import { createBatcher } from '../src/delivery/batcher.js';
import { EventBuffer } from '../src/delivery/buffer.js';
import type { KubeEvent } from '../src/event/model.js';
import { kubeEvent } from './support/kube-event.js';

function filled(items: number[], maxEvents = 1000) {
  const buffer = new EventBuffer<number>({ maxEvents });
  for (const i of items) buffer.push(i);
  return buffer;
}

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

/** kubeEventSize of an event with an empty message: events below weigh BASE + their extra. */
const BASE = kubeEventSize(kubeEvent({ message: '' }));
/** A byte limit that two events with `extra` bytes between them fill exactly. */
const twoPlus = (extra: number) => 2 * BASE + extra;

/**
 * A buffer of events weighing BASE + each extra (their message's length).
 * `onRead` hears every read of a message, which is how the size is measured.
 */
function sizedBuffer(extras: number[], onRead: () => void = () => {}) {
  const buffer = new EventBuffer<KubeEvent>({ maxEvents: 1000 });
  for (const extra of extras)
    buffer.push(countingReads(kubeEvent({ message: 'x'.repeat(extra) }), onRead));
  return buffer;
}

function countingReads(event: KubeEvent, onRead: () => void): KubeEvent {
  const { message } = event;
  return Object.defineProperty(event, 'message', {
    get() {
      onRead();
      return message;
    },
  });
}

/** Each event's extra bytes (reading them counts as reads). */
const extras = (batch: KubeEvent[] | undefined) => batch?.map((event) => event.message.length);

/** How often one kubeEventSize call reads an event's message. */
function readsPerMeasure(): number {
  let reads = 0;
  kubeEventSize(countingReads(kubeEvent(), () => reads++));
  return reads;
}

/** Tracks whether a promise has settled, without awaiting it. */
function track<T>(p: Promise<T>) {
  const state: { done: boolean; value?: T } = { done: false };
  void p.then((value) => {
    state.done = true;
    state.value = value;
  });
  return state;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('options', () => {
  const buffer = new EventBuffer<KubeEvent>({ maxEvents: 1 });
  it.each([
    [{ maxEvents: 0, timeoutMs: 1 }, /maxEvents: expected an integer >= 1 \(got 0\)/],
    [{ maxEvents: 1, timeoutMs: -1 }, /timeoutMs: expected a finite number/],
    [{ maxEvents: 1, timeoutMs: Number.NaN }, /timeoutMs/],
    [{ maxEvents: 1, timeoutMs: 1, maxBytes: 0 }, /\[batch\] maxBytes/],
  ])('rejects %o', (o, message) => {
    expect(() => createBatcher({ buffer, ...o })).toThrow(message);
  });
});

describe('batch limits', () => {
  it('cuts by count, in order', async () => {
    const b = createBatcher({ buffer: filled(range(7)), maxEvents: 3, timeoutMs: 1000 });
    expect(await b.next()).toEqual([0, 1, 2]);
    expect(await b.next()).toEqual([3, 4, 5]);
  });

  it('cuts before the event that would exceed maxBytes, measuring each event once', async () => {
    let reads = 0;
    const buffer = sizedBuffer([4, 4, 4, 1, 9, 2], () => reads++);
    const b = createBatcher({ buffer, maxEvents: 100, maxBytes: twoPlus(10), timeoutMs: 1000 });
    const batches = [await b.next(), await b.next()];
    buffer.close();
    batches.push(await b.next(), await b.next(), await b.next());
    const readsToCut = reads;
    expect(batches.map(extras)).toEqual([
      [4, 4], // a third 4 would make 12
      [4, 1], // 9 would make 14
      [9],
      [2],
      undefined,
    ]);
    // Once per event, even when carried over to the next batch.
    expect(readsToCut).toBe(6 * readsPerMeasure());
  });

  it('a batch that reaches maxBytes exactly goes out at once', async () => {
    const b = createBatcher({
      buffer: sizedBuffer([5, 5, 1]),
      maxEvents: 100,
      maxBytes: twoPlus(10),
      timeoutMs: 60_000,
    });
    expect(extras(await b.next())).toEqual([5, 5]);
  });

  it('an event larger than maxBytes goes alone', async () => {
    const huge = 2 * BASE + 50; // BASE + huge > twoPlus(10)
    const b = createBatcher({
      buffer: sizedBuffer([1, huge, 2, 3]),
      maxEvents: 10,
      maxBytes: twoPlus(10),
      timeoutMs: 0,
    });
    expect(extras(await b.next())).toEqual([1]);
    expect(extras(await b.next())).toEqual([huge]);
    expect(extras(await b.next())).toEqual([2, 3]);
  });

  it('batches KubeEvents by kubeEventSize', async () => {
    const buffer = new EventBuffer<KubeEvent>({ maxEvents: 10 });
    const e = kubeEvent();
    for (let i = 0; i < 5; i++) buffer.push(e);
    const size = kubeEventSize(e);
    const b = createBatcher({ buffer, maxEvents: 10, maxBytes: size * 2 + 1, timeoutMs: 1000 });
    expect(await b.next()).toHaveLength(2);
  });
});

describe('timeout', () => {
  it('sends a partial batch timeoutMs after its first item, with one timer', async () => {
    vi.useFakeTimers();
    const setTimer = vi.spyOn(globalThis, 'setTimeout');
    const buffer = new EventBuffer<number>({ maxEvents: 100 });
    const b = createBatcher({ buffer, maxEvents: 10, timeoutMs: 100 });
    const batch = track(b.next());
    await vi.advanceTimersByTimeAsync(1_000);
    expect(batch.done).toBe(false); // idle: no timeout running
    setTimer.mockClear();

    buffer.push(1);
    await vi.advanceTimersByTimeAsync(40);
    for (let i = 2; i <= 5; i++) buffer.push(i); // trickle: no timer per item
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(59);
    expect(batch.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(batch).toEqual({ done: true, value: [1, 2, 3, 4, 5] });
    expect(vi.getTimerCount()).toBe(0);
    expect(setTimer).toHaveBeenCalledTimes(1);
  });

  it('counts from when the first item arrived, even while the caller was busy', async () => {
    vi.useFakeTimers();
    const buffer = new EventBuffer<number>({ maxEvents: 100 });
    const b = createBatcher({ buffer, maxEvents: 10, timeoutMs: 100 });
    buffer.push(1);
    await vi.advanceTimersByTimeAsync(150); // no next() yet, as while a send is in flight
    expect(vi.getTimerCount()).toBe(0);
    const batch = track(b.next());
    await vi.advanceTimersByTimeAsync(0);
    expect(batch).toEqual({ done: true, value: [1] });
  });

  it('after a full batch, the next one also counts from its first arrival', async () => {
    vi.useFakeTimers();
    const buffer = filled([1, 2, 3]);
    const b = createBatcher({ buffer, maxEvents: 3, timeoutMs: 100 });
    expect(await b.next()).toEqual([1, 2, 3]);
    buffer.push(4); // while the caller sends [1, 2, 3]
    await vi.advanceTimersByTimeAsync(150);
    const batch = track(b.next());
    await vi.advanceTimersByTimeAsync(0);
    expect(batch).toEqual({ done: true, value: [4] });
  });

  it('timeoutMs 0 sends what is there without a timer', async () => {
    vi.useFakeTimers();
    const b = createBatcher({ buffer: filled([1, 2]), maxEvents: 10, timeoutMs: 0 });
    expect(await b.next()).toEqual([1, 2]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a full batch clears the timer; idle leaves none behind', async () => {
    vi.useFakeTimers();
    const buffer = new EventBuffer<number>({ maxEvents: 100 });
    const b = createBatcher({ buffer, maxEvents: 3, timeoutMs: 100 });
    const batch = track(b.next());
    buffer.push(1);
    await vi.advanceTimersByTimeAsync(10);
    expect(vi.getTimerCount()).toBe(1);
    buffer.push(2);
    buffer.push(3);
    await vi.advanceTimersByTimeAsync(0);
    expect(batch).toEqual({ done: true, value: [1, 2, 3] });
    expect(vi.getTimerCount()).toBe(0);
    const idle = track(b.next());
    await vi.advanceTimersByTimeAsync(10_000);
    expect(idle.done).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('works with real timers', async () => {
    const buffer = new EventBuffer<number>({ maxEvents: 100 });
    const b = createBatcher({ buffer, maxEvents: 10, timeoutMs: 20 });
    const start = performance.now();
    buffer.push(1);
    expect(await b.next()).toEqual([1]);
    expect(performance.now() - start).toBeGreaterThanOrEqual(15);
  });
});

describe('close', () => {
  it('flushes the partial batch on close, then reports the end', async () => {
    vi.useFakeTimers();
    const buffer = new EventBuffer<number>({ maxEvents: 100 });
    const b = createBatcher({ buffer, maxEvents: 4, timeoutMs: 60_000 });
    for (let i = 0; i < 6; i++) buffer.push(i);
    expect(await b.next()).toEqual([0, 1, 2, 3]);
    const last = track(b.next());
    await vi.advanceTimersByTimeAsync(10);
    expect(last.done).toBe(false);
    buffer.close();
    await vi.advanceTimersByTimeAsync(0);
    expect(last).toEqual({ done: true, value: [4, 5] });
    expect(await b.next()).toBeUndefined();
    expect(await b.next()).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('has no surface for tests only: next', () => {
    const buffer = new EventBuffer<number>({ maxEvents: 1 });
    expect(Object.keys(createBatcher({ buffer, maxEvents: 1, timeoutMs: 1 }))).toEqual(['next']);
  });

  it('a closed empty buffer ends a waiting next()', async () => {
    const buffer = new EventBuffer<number>({ maxEvents: 1 });
    const b = createBatcher({ buffer, maxEvents: 4, timeoutMs: 60_000 });
    const end = b.next();
    buffer.close();
    expect(await end).toBeUndefined();
  });

  it('serves concurrent next() calls one after the other', async () => {
    const buffer = new EventBuffer<number>({ maxEvents: 10 });
    const b = createBatcher({ buffer, maxEvents: 2, timeoutMs: 1000 });
    const batches = Promise.all([b.next(), b.next(), b.next()]);
    await new Promise((resolve) => setImmediate(resolve)); // all three are waiting
    for (let i = 0; i < 6; i++) buffer.push(i);
    expect(await batches).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
  });
});

describe('backpressure through the batcher', () => {
  it('a blocked producer resumes as batches are taken, and order holds', async () => {
    const buffer = new EventBuffer<number>({ maxEvents: 5 });
    const b = createBatcher({ buffer, maxEvents: 4, timeoutMs: 5 });
    const producer = (async () => {
      for (let i = 0; i < 103; i++) {
        const p = buffer.push(i);
        if (p) await p;
      }
      buffer.close();
    })();
    const got: number[] = [];
    for (let batch = await b.next(); batch; batch = await b.next()) {
      expect(batch.length).toBeLessThanOrEqual(4);
      got.push(...batch);
    }
    await producer;
    expect(got).toEqual(range(103));
    expect(buffer.stats.maxSeen).toBeLessThanOrEqual(5);
    expect(buffer.stats.blocked).toBeGreaterThan(0);
  });
});

describe('kubeEventSize', () => {
  it('estimates within 30% of the JSON size (without raw) of typical events', () => {
    const events = [
      kubeEvent({
        uid: '3f1c2a9e-1b2c-4d5e-8f90-123456789abc',
        firstTimestamp: '2026-01-01T00:00:00.000Z',
        lastTimestamp: '2026-01-01T00:00:05.000Z',
      }),
      kubeEvent({ message: 'x'.repeat(2_000), reason: 'FailedScheduling' }),
      kubeEvent({ message: '', reason: 'Pulled', involvedObject: { kind: 'Node', name: 'n1' } }),
    ];
    for (const e of events) {
      const { raw: _raw, ...rest } = e;
      const json = JSON.stringify(rest).length;
      expect(Math.abs(kubeEventSize(e) - json) / json).toBeLessThan(0.3);
    }
  });

  it('grows with the message', () => {
    expect(kubeEventSize(kubeEvent({ message: 'a'.repeat(100) }))).toBe(
      kubeEventSize(kubeEvent({ message: '' })) + 100,
    );
  });
});
