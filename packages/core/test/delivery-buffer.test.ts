import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { BufferClosedError, type DropReason, EventBuffer } from '../src/delivery/buffer.js';

/** Lets pending promise callbacks (and a macrotask turn) run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Tracks whether a promise has settled, without awaiting it. */
function track(p: Promise<void> | undefined) {
  const state = { done: false, error: undefined as unknown };
  p?.then(
    () => {
      state.done = true;
    },
    (err: unknown) => {
      state.done = true;
      state.error = err;
    },
  );
  return state;
}

describe('options', () => {
  it.each([0, -1, 1.5, Number.NaN])('rejects maxEvents %s', (maxEvents) => {
    expect(() => new EventBuffer({ maxEvents })).toThrow(/maxEvents: expected an integer >= 1/);
  });

  it('rejects an unknown whenFull', () => {
    expect(() => new EventBuffer({ maxEvents: 1, whenFull: 'overflow' as 'block' })).toThrow(
      /whenFull: expected one of block, dropOldest, dropNewest \(got 'overflow'\)/,
    );
  });

  it("defaults to 'block'", () => {
    expect(new EventBuffer({ maxEvents: 1 }).whenFull).toBe('block');
  });
});

describe("whenFull: 'block'", () => {
  it('accepts synchronously while there is room, then waits for a take', async () => {
    const buf = new EventBuffer<number>({ maxEvents: 2 });
    expect(buf.push(1)).toBeUndefined();
    expect(buf.push(2)).toBeUndefined();
    const third = buf.push(3);
    expect(third).toBeInstanceOf(Promise);
    const state = track(third);
    await settle();
    expect(state.done).toBe(false);
    expect(buf.size).toBe(2);

    expect(buf.take(1)).toEqual([1]);
    // The blocked item goes in during the take, so size stays at the bound.
    expect(buf.size).toBe(2);
    await settle();
    expect(state).toEqual({ done: true, error: undefined });
    expect(buf.take(10)).toEqual([2, 3]);
    expect(buf.stats).toMatchObject({ pushed: 3, taken: 3, blocked: 1, maxSeen: 2 });
  });

  it('admits blocked pushers in arrival order, as far as space allows', async () => {
    const buf = new EventBuffer<string>({ maxEvents: 1 });
    buf.push('a');
    const order: string[] = [];
    const pushes = ['b', 'c', 'd'].map((x) => buf.push(x)?.then(() => order.push(x)));
    expect(buf.take(1)).toEqual(['a']);
    await settle();
    expect(order).toEqual(['b']);
    expect(buf.take(1)).toEqual(['b']);
    expect(buf.take(1)).toEqual(['c']);
    await settle();
    expect(order).toEqual(['b', 'c', 'd']);
    await Promise.all(pushes);
    expect(buf.take(5)).toEqual(['d']);
  });

  it('a new push waits behind blocked pushers', async () => {
    const buf = new EventBuffer<number>({ maxEvents: 1 });
    buf.push(1);
    const blocked = buf.push(2);
    buf.take(1); // 2 goes in, buffer full again
    const late = buf.push(3);
    expect(late).toBeInstanceOf(Promise);
    await blocked;
    expect(buf.take(1)).toEqual([2]);
    await late;
    expect(buf.take(1)).toEqual([3]);
  });

  it('an aborted push rejects with the reason, leaves no item and keeps the others in order', async () => {
    const buf = new EventBuffer<number>({ maxEvents: 1 });
    buf.push(1);
    const ac = new AbortController();
    const before = buf.push(2);
    const aborted = buf.push(3, { signal: ac.signal });
    const after = buf.push(4);
    const reason = new Error('source stopped');
    ac.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    const got: number[] = [];
    for (let i = 0; i < 3; i++) got.push(...buf.take(1));
    await Promise.all([before, after]);
    expect(got).toEqual([1, 2, 4]);
    expect(buf.stats.pushed).toBe(3);
  });

  it('an already-aborted signal rejects only when the push would wait', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    const buf = new EventBuffer<number>({ maxEvents: 1 });
    expect(buf.push(1, { signal: ac.signal })).toBeUndefined();
    await expect(buf.push(2, { signal: ac.signal })).rejects.toThrow('stop');
    expect(buf.take(5)).toEqual([1]);
  });

  it('removes its abort listener once the item is in', async () => {
    const ac = new AbortController();
    const remove = vi.spyOn(ac.signal, 'removeEventListener');
    const buf = new EventBuffer<number>({ maxEvents: 1 });
    buf.push(1);
    const p = buf.push(2, { signal: ac.signal });
    buf.take(1);
    await p;
    expect(remove).toHaveBeenCalledWith('abort', expect.any(Function));
    ac.abort(); // too late to matter: the item stays
    expect(buf.take(5)).toEqual([2]);
  });

  it('bounds memory: 100k pushes from a fast producer, slow consumer, nothing lost', async () => {
    const total = 100_000;
    const buf = new EventBuffer<number>({ maxEvents: 64 });
    let overBound = false;
    const producer = (async () => {
      for (let i = 0; i < total; i++) {
        const p = buf.push(i);
        if (p) await p;
        if (buf.size > 64) overBound = true;
      }
      buf.close();
    })();
    const got: number[] = [];
    while (!(buf.closed && buf.size === 0)) {
      await buf.waitForItems();
      got.push(...buf.take(50));
      if (got.length % 5_000 < 50) await settle(); // slow down now and then
    }
    await producer;
    expect(overBound).toBe(false);
    expect(buf.stats.maxSeen).toBe(64);
    expect(got).toHaveLength(total);
    expect(got.every((v, i) => v === i)).toBe(true);
  });
});

describe('drop policies', () => {
  function recorder() {
    const drops: [number, DropReason][] = [];
    return { drops, onDrop: (item: number, reason: DropReason) => drops.push([item, reason]) };
  }

  it("'dropNewest' drops the pushed item, counts it and calls onDrop", () => {
    const { drops, onDrop } = recorder();
    const buf = new EventBuffer<number>({ maxEvents: 2, whenFull: 'dropNewest', onDrop });
    for (let i = 1; i <= 5; i++) expect(buf.push(i)).toBeUndefined();
    expect(buf.take(10)).toEqual([1, 2]);
    expect(drops).toEqual([
      [3, 'buffer_full_drop_newest'],
      [4, 'buffer_full_drop_newest'],
      [5, 'buffer_full_drop_newest'],
    ]);
    expect(buf.stats).toEqual({
      pushed: 2,
      taken: 2,
      dropped: { buffer_full_drop_newest: 3, buffer_full_drop_oldest: 0 },
      blocked: 0,
      maxSeen: 2,
    });
  });

  it("'dropOldest' evicts the oldest, counts it and calls onDrop", () => {
    const { drops, onDrop } = recorder();
    const buf = new EventBuffer<number>({ maxEvents: 2, whenFull: 'dropOldest', onDrop });
    for (let i = 1; i <= 5; i++) expect(buf.push(i)).toBeUndefined();
    expect(buf.size).toBe(2);
    expect(buf.take(10)).toEqual([4, 5]);
    expect(drops).toEqual([
      [1, 'buffer_full_drop_oldest'],
      [2, 'buffer_full_drop_oldest'],
      [3, 'buffer_full_drop_oldest'],
    ]);
    expect(buf.stats).toMatchObject({
      pushed: 5,
      dropped: { buffer_full_drop_newest: 0, buffer_full_drop_oldest: 3 },
    });
  });

  it.each(['dropOldest', 'dropNewest'] as const)(
    "'%s' matches a plain array model for any sequence of pushes and takes",
    (whenFull) => {
      const op = fc.oneof(
        fc.record({ push: fc.integer({ min: 1, max: 20 }) }),
        fc.record({ take: fc.integer({ min: 0, max: 12 }) }),
      );
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 8 }), fc.array(op, { maxLength: 60 }), (max, ops) => {
          let dropped = 0;
          const buf = new EventBuffer<number>({
            maxEvents: max,
            whenFull,
            onDrop: () => dropped++,
          });
          const model: number[] = [];
          let next = 0;
          for (const o of ops) {
            if ('push' in o) {
              for (let i = 0; i < o.push; i++, next++) {
                buf.push(next);
                if (model.length === max && whenFull === 'dropNewest') continue;
                if (model.length === max) model.shift();
                model.push(next);
              }
            } else {
              expect(buf.take(o.take)).toEqual(model.splice(0, o.take));
            }
            expect(buf.size).toBe(model.length);
          }
          const s = buf.stats;
          const counted = s.dropped.buffer_full_drop_newest + s.dropped.buffer_full_drop_oldest;
          expect(counted).toBe(dropped);
          expect(s.pushed + s.dropped.buffer_full_drop_newest).toBe(next);
          expect(s.pushed).toBe(s.taken + s.dropped.buffer_full_drop_oldest + buf.size);
          expect(s.maxSeen).toBeLessThanOrEqual(max);
        }),
      );
    },
  );
});

describe('take and waitForItems', () => {
  it('take returns up to max items in order and [] for max <= 0', () => {
    const buf = new EventBuffer<number>({ maxEvents: 100 });
    for (let i = 0; i < 30; i++) buf.push(i);
    expect(buf.take(0)).toEqual([]);
    expect(buf.take(-3)).toEqual([]);
    expect(buf.take(2.7)).toEqual([0, 1]);
    expect(buf.take(5)).toEqual([2, 3, 4, 5, 6]);
    expect(buf.take(Number.POSITIVE_INFINITY)).toHaveLength(23);
    expect(buf.take(1)).toEqual([]);
  });

  it('waitForItems resolves on the first push, at once when items are there', async () => {
    const buf = new EventBuffer<number>({ maxEvents: 4 });
    const state = track(buf.waitForItems());
    await settle();
    expect(state.done).toBe(false);
    buf.push(1);
    await settle();
    expect(state.done).toBe(true);
    await expect(buf.waitForItems()).resolves.toBeUndefined();
  });

  it('waitForItems rejects with the signal reason on abort and leaves other waiters alone', async () => {
    const buf = new EventBuffer<number>({ maxEvents: 4 });
    const ac = new AbortController();
    const aborted = buf.waitForItems(ac.signal);
    const other = track(buf.waitForItems());
    ac.abort(new Error('bye'));
    await expect(aborted).rejects.toThrow('bye');
    buf.push(1);
    await settle();
    expect(other.done).toBe(true);
  });
});

describe('close', () => {
  it('wakes item waiters, keeps items takeable and rejects later pushes', async () => {
    const buf = new EventBuffer<number>({ maxEvents: 4 });
    const waiting = buf.waitForItems();
    buf.close();
    await expect(waiting).resolves.toBeUndefined();

    const buf2 = new EventBuffer<number>({ maxEvents: 4, whenFull: 'dropNewest' });
    buf2.push(1);
    buf2.close();
    expect(buf2.closed).toBe(true);
    await expect(buf2.push(2)).rejects.toBeInstanceOf(BufferClosedError);
    await expect(buf2.push(2)).rejects.toThrow(/buffer is closed/);
    expect(buf2.take(5)).toEqual([1]);
    await expect(buf2.waitForItems()).resolves.toBeUndefined();
  });

  it('rejects pushes still blocked; their items never get in', async () => {
    const buf = new EventBuffer<number>({ maxEvents: 1 });
    buf.push(1);
    const blocked = buf.push(2);
    buf.close();
    buf.close(); // idempotent
    await expect(blocked).rejects.toBeInstanceOf(BufferClosedError);
    expect(buf.take(5)).toEqual([1]);
    expect(buf.stats.pushed).toBe(1);
  });
});
