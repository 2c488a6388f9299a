import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventTag } from '../src/event/event-tag.js';
import type { KubeEvent } from '../src/event/model.js';
import { normalizeEvent } from '../src/event/normalize.js';
import { StreamProgress } from '../src/stream/progress.js';

const event = (i: number): KubeEvent =>
  normalizeEvent({
    metadata: { uid: `uid-${i}`, namespace: 'default', name: `e-${i}`, resourceVersion: `${i}` },
    count: 1,
    lastTimestamp: '2026-01-02T03:04:05Z',
  });

describe('StreamProgress in flight', () => {
  it('resumes before the oldest unhandled event, whatever order events are handled in', () => {
    // Steps: emit the next event, or handle one of those in flight (by index).
    const step = fc.oneof(fc.constant('emit' as const), fc.nat({ max: 1000 }));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 3000 }), (steps) => {
        const progress = new StreamProgress(100_000);
        const model = new Map<KubeEvent, string>(); // the reference: insertion-ordered
        let next = 1;
        for (const s of steps) {
          if (s === 'emit') {
            const e = event(next++);
            const before = progress.resourceVersion;
            progress.emit(e, { count: 1, lastMs: 0 }, before);
            progress.advance(e.resourceVersion);
            model.set(e, before);
          } else if (model.size > 0) {
            const e = [...model.keys()][s % model.size] as KubeEvent;
            progress.ack(e);
            progress.ack(e); // twice: the second changes nothing
            model.delete(e);
          }
          expect(progress.inFlight).toBe(model.size);
        }
        const snapshot = progress.snapshot('scope');
        const oldest = model.values().next();
        expect(snapshot.resourceVersion).toBe(
          oldest.done ? progress.resourceVersion : oldest.value,
        );
        const inFlight = new Set([...model.keys()].map((e) => e.uid));
        const saved = new Set(snapshot.seen.map(([uid]) => uid));
        for (let i = 1; i < next; i++)
          expect(saved.has(`uid-${i}`)).toBe(!inFlight.has(`uid-${i}`));
      }),
      { numRuns: 150 },
    );
  });

  it('holds one old unhandled event while 10,000 later ones are handled', () => {
    const progress = new StreamProgress(100_000);
    const events = Array.from({ length: 10_001 }, (_, i) => event(i + 1));
    for (const e of events) {
      progress.emit(e, { count: 1, lastMs: 0 }, progress.resourceVersion);
      progress.advance(e.resourceVersion);
    }
    for (const e of events.slice(1)) progress.ack(e);
    expect(progress.inFlight).toBe(1);
    expect(progress.snapshot('scope').resourceVersion).toBe('');
    progress.ack(events[0] as KubeEvent);
    expect(progress.inFlight).toBe(0);
    expect(progress.snapshot('scope').resourceVersion).toBe('10001');
  });

  it('ignores events it never emitted', () => {
    const progress = new StreamProgress(10);
    progress.emit(event(1), { count: 1, lastMs: 0 }, '');
    progress.ack(event(1)); // an equal event, not the one emitted
    expect(progress.inFlight).toBe(1);
  });
});

describe('EventTag', () => {
  it('keeps a value per event object that JSON, spreads and equality do not see', () => {
    const tag = new EventTag<{ n: number }>('test');
    const a = event(1);
    const b = event(1);
    tag.set(a, { n: 1 });
    expect(tag.get(a)).toEqual({ n: 1 });
    expect(tag.get(b)).toBeUndefined();
    expect(a).toEqual(b);
    expect(a).toStrictEqual(b);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect({ ...a }).toStrictEqual({ ...b });
    expect(Object.keys(a)).toEqual(Object.keys(b));
    tag.clear(a);
    expect(tag.get(a)).toBeUndefined();
  });

  it('keeps values for frozen events too', () => {
    const tag = new EventTag<number>('test');
    const frozen = Object.freeze(event(2));
    tag.set(frozen, 3);
    expect(tag.get(frozen)).toBe(3);
    tag.clear(frozen);
    expect(tag.get(frozen)).toBeUndefined();
  });
});
