import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDedup, type DedupOptions, DedupOptionsError } from '../src/dedup/index.js';
import type { KubeEvent } from '../src/event/model.js';
import { type KubeEventInit, kubeEvent } from './support/kube-event.js';

/** A test event; `lastMs` is its lastTimestamp as ms after 2026-01-01, for readable arithmetic. */
const ev = ({ lastMs = 0, ...init }: KubeEventInit & { lastMs?: number } = {}): KubeEvent =>
  kubeEvent({
    lastTimestamp: new Date(Date.UTC(2026, 0, 1) + lastMs).toISOString(),
    ...init,
    involvedObject: { namespace: 'shop', uid: 'p-1', ...init.involvedObject },
  });

/** A manual clock starting at 0 (the value lru-cache would otherwise read as "no TTL"). */
function fakeClock() {
  const clock = { t: 0, now: () => clock.t };
  return clock;
}

const accepts = (d: ReturnType<typeof createDedup>, events: KubeEvent[]) =>
  events.map((e) => d.accept(e));

describe("mode 'occurrence' (default)", () => {
  it('passes each occurrence once and suppresses re-deliveries and older ones', () => {
    const d = createDedup();
    expect(
      accepts(d, [
        ev({ count: 1 }),
        ev({ count: 1 }), // re-delivery (relist, resync)
        ev({ count: 2, lastMs: 60_000 }),
        ev({ count: 1 }), // stale, arrived late
        ev({ count: 2, lastMs: 60_000 }),
        ev({ count: 2, lastMs: 61_000 }), // same count, later: a new occurrence
        ev({ uid: 'u-2' }),
      ]),
    ).toEqual([true, false, true, false, false, true, true]);
    expect({ ...d.stats }).toEqual({ accepted: 4, suppressed: 3, tracked: 2 });
  });

  it('keys uid-less events by namespace/name', () => {
    const d = createDedup();
    expect(accepts(d, [ev({ uid: '' }), ev({ uid: '' }), ev({ uid: '', name: 'other' })])).toEqual([
      true,
      false,
      true,
    ]);
  });

  it('accepts exactly the strictly increasing marks per uid (property)', () => {
    const delivery = fc.record({
      uid: fc.constantFrom('a', 'b', 'c'),
      count: fc.integer({ min: 1, max: 4 }),
      lastMs: fc.integer({ min: 0, max: 3 }).map((s) => s * 1000),
    });
    fc.assert(
      fc.property(fc.array(delivery, { maxLength: 60 }), (seq) => {
        const d = createDedup();
        const best = new Map<string, [number, number]>();
        for (const { uid, count, lastMs } of seq) {
          const prev = best.get(uid);
          const later = !prev || count > prev[0] || (count === prev[0] && lastMs > prev[1]);
          if (later) best.set(uid, [count, lastMs]);
          expect(d.accept(ev({ uid, count, lastMs }))).toBe(later);
        }
        expect(d.stats.accepted + d.stats.suppressed).toBe(seq.length);
      }),
    );
  });
});

describe("mode 'firstOnly'", () => {
  it('passes only the first occurrence per event uid', () => {
    const d = createDedup({ mode: 'firstOnly' });
    expect(
      accepts(d, [
        ev({ count: 1 }),
        ev({ count: 2, lastMs: 1 }),
        ev({ count: 9, lastMs: 9 }),
        ev({ uid: 'u-2', count: 5 }),
      ]),
    ).toEqual([true, false, false, true]);
  });

  it('renews the entry on each sighting, so a recurring event stays suppressed', () => {
    const clock = fakeClock();
    const d = createDedup({ mode: 'firstOnly', ttlMs: 1000, now: clock.now });
    expect(d.accept(ev())).toBe(true);
    for (const t of [800, 1600, 2400]) {
      clock.t = t;
      expect(d.accept(ev({ count: t }))).toBe(false);
    }
    clock.t = 3401;
    expect(d.accept(ev({ count: 9999 }))).toBe(true);
  });
});

describe("mode 'cooldown'", () => {
  it('lets one event per object and reason through per window (fixed from the one let through)', () => {
    const clock = fakeClock();
    const d = createDedup({ mode: 'cooldown', windowMs: 1000, now: clock.now });
    expect(d.accept(ev({ uid: 'a' }))).toBe(true);
    clock.t = 500;
    // Another event object (new uid) about the same trouble: still a duplicate.
    expect(d.accept(ev({ uid: 'b' }))).toBe(false);
    expect(d.accept(ev({ reason: 'Unhealthy' }))).toBe(true);
    expect(d.accept(ev({ involvedObject: { name: 'web-2' } }))).toBe(true);
    expect(d.accept(ev({ involvedObject: { namespace: 'other' } }))).toBe(true);
    clock.t = 999;
    expect(d.accept(ev())).toBe(false);
    clock.t = 1001;
    expect(d.accept(ev())).toBe(true);
    clock.t = 1500;
    expect(d.accept(ev())).toBe(false);
  });

  it('uses a custom key', () => {
    const d = createDedup({ mode: 'cooldown', windowMs: 60_000, key: (e) => e.reason });
    expect(
      accepts(d, [ev(), ev({ involvedObject: { name: 'x' } }), ev({ reason: 'Failed' })]),
    ).toEqual([true, false, true]);
  });
});

describe('bounds', () => {
  it('forgets an event object after ttlMs unseen: a re-delivery then passes again', () => {
    const clock = fakeClock();
    const d = createDedup({ ttlMs: 1000, now: clock.now });
    expect(d.accept(ev())).toBe(true);
    clock.t = 1000;
    expect(d.accept(ev())).toBe(false); // renews: now expires after 2000
    clock.t = 1999;
    expect(d.accept(ev())).toBe(false);
    clock.t = 3000;
    expect(d.accept(ev())).toBe(true); // the documented trade-off
    expect(d.stats.tracked).toBe(1);
  });

  it('evicts the least recently seen key beyond maxEntries', () => {
    const d = createDedup({ maxEntries: 3 });
    expect(
      accepts(
        d,
        ['a', 'b', 'c'].map((uid) => ev({ uid })),
      ),
    ).toEqual([true, true, true]);
    expect(d.accept(ev({ uid: 'a' }))).toBe(false); // `a` is now the most recent
    expect(d.accept(ev({ uid: 'd' }))).toBe(true); // evicts `b`
    expect(d.stats.tracked).toBe(3);
    expect(d.accept(ev({ uid: 'a' }))).toBe(false);
    expect(d.accept(ev({ uid: 'b' }))).toBe(true); // forgotten, passes again
  });

  it('stays bounded under 1M distinct keys', () => {
    let i = 0;
    const d = createDedup({
      mode: 'cooldown',
      windowMs: 3_600_000,
      maxEntries: 1000,
      key: () => `k${i}`,
    });
    const e = ev();
    let maxTracked = 0;
    for (i = 0; i < 1_000_000; i++) {
      if (!d.accept(e)) throw new Error(`key k${i} suppressed`);
      if (i % 997 === 0) maxTracked = Math.max(maxTracked, d.stats.tracked);
    }
    expect(maxTracked).toBeLessThanOrEqual(1000);
    expect(d.stats).toMatchObject({ accepted: 1_000_000, suppressed: 0, tracked: 1000 });
  });

  it('clear() forgets every key but keeps the totals', () => {
    const d = createDedup();
    accepts(d, [ev(), ev()]);
    d.clear();
    expect(d.stats.tracked).toBe(0);
    expect(d.accept(ev())).toBe(true);
    expect({ ...d.stats }).toEqual({ accepted: 2, suppressed: 1, tracked: 1 });
  });
});

describe('options', () => {
  const bad: [unknown, string][] = [
    [{ mode: 'once' }, 'mode'],
    [{ maxEntries: 0 }, 'maxEntries'],
    [{ maxEntries: 2.5 }, 'maxEntries'],
    [{ ttlMs: -1 }, 'ttlMs'],
    [{ ttlMs: Number.POSITIVE_INFINITY }, 'ttlMs'],
    [{ mode: 'cooldown' }, 'windowMs'],
    [{ mode: 'cooldown', windowMs: 0 }, 'windowMs'],
    [{ mode: 'cooldown', windowMs: 1000, ttlMs: 5 }, 'ttlMs'],
    [{ mode: 'cooldown', windowMs: 1000, key: 'reason' }, 'key'],
    [{ windowMs: 1000 }, 'windowMs'],
    [{ mode: 'firstOnly', key: () => 'k' }, 'key'],
    [{ now: 5 }, 'now'],
  ];

  it.each(bad)('refuses %j naming %s', (options, field) => {
    let err: unknown;
    try {
      createDedup(options as DedupOptions);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DedupOptionsError);
    expect((err as DedupOptionsError).field).toBe(field);
    expect((err as Error).message).toContain(`[keventer] [dedup] ${field}:`);
  });
});
