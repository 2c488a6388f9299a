import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeEvent } from '../src/event/normalize.js';
import { isLaterOccurrence, occurrenceId, occurrenceMark } from '../src/event/occurrence.js';

const coreEvent = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: {
    name: 'web-1.17a',
    namespace: 'shop',
    uid: 'u-1',
    resourceVersion: '42',
    creationTimestamp: '2026-01-01T00:00:00Z',
  },
  involvedObject: {
    kind: 'Pod',
    namespace: 'shop',
    name: 'web-1',
    uid: 'p-1',
    apiVersion: 'v1',
    fieldPath: 'spec.containers{app}',
  },
  reason: 'BackOff',
  message: 'Back-off restarting failed container',
  type: 'Warning',
  source: { component: 'kubelet', host: 'node-a' },
  count: 5,
  firstTimestamp: '2026-01-01T00:00:00Z',
  lastTimestamp: '2026-01-01T00:05:00Z',
  eventTime: null,
};

const eventsV1 = {
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: { name: 'web-1.17b', namespace: 'shop', uid: 'u-2', resourceVersion: '43' },
  regarding: { kind: 'Pod', namespace: 'shop', name: 'web-1', uid: 'p-1', apiVersion: 'v1' },
  reason: 'Unhealthy',
  note: 'Liveness probe failed',
  type: 'Warning',
  action: 'Killing',
  reportingController: 'kubelet',
  reportingInstance: 'node-a',
  eventTime: '2026-01-01T00:00:00.123456Z',
  series: { count: 7, lastObservedTime: '2026-01-01T00:09:00.654321Z' },
  deprecatedSource: { component: 'kubelet', host: 'node-a' },
};

describe('normalizeEvent', () => {
  it('maps a core/v1 Event', () => {
    const event = normalizeEvent(coreEvent);
    expect(event).toMatchObject({
      apiGroup: 'core/v1',
      uid: 'u-1',
      resourceVersion: '42',
      namespace: 'shop',
      name: 'web-1.17a',
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off restarting failed container',
      involvedObject: {
        kind: 'Pod',
        namespace: 'shop',
        name: 'web-1',
        uid: 'p-1',
        fieldPath: 'spec.containers{app}',
      },
      reportingComponent: 'kubelet',
      host: 'node-a',
      count: 5,
      firstTimestamp: '2026-01-01T00:00:00.000Z',
      lastTimestamp: '2026-01-01T00:05:00.000Z',
    });
    expect(event.raw).toBe(coreEvent);
  });

  it('maps an events.k8s.io/v1 Event with a series', () => {
    const event = normalizeEvent(eventsV1);
    expect(event).toMatchObject({
      apiGroup: 'events.k8s.io/v1',
      message: 'Liveness probe failed',
      involvedObject: { kind: 'Pod', name: 'web-1' },
      reportingComponent: 'kubelet',
      reportingInstance: 'node-a',
      host: 'node-a',
      action: 'Killing',
      count: 7,
      firstTimestamp: '2026-01-01T00:00:00.123Z',
      lastTimestamp: '2026-01-01T00:09:00.654Z',
    });
  });

  it('falls back to eventTime and creation time, and counts at least once', () => {
    const event = normalizeEvent({
      metadata: { uid: 'u', creationTimestamp: '2026-02-01T00:00:00Z' },
      eventTime: '2026-02-01T00:00:01.5Z',
      count: 0,
    });
    expect(event.count).toBe(1);
    expect(event.firstTimestamp).toBe('2026-02-01T00:00:01.500Z');
    expect(event.lastTimestamp).toBe('2026-02-01T00:00:01.500Z');
    expect(
      normalizeEvent({ metadata: { creationTimestamp: '2026-02-01T00:00:00Z' } }).lastTimestamp,
    ).toBe('2026-02-01T00:00:00.000Z');
  });

  it('reads counts written as strings and takes the larger of count and series.count', () => {
    expect(normalizeEvent({ count: '12' }).count).toBe(12);
    expect(normalizeEvent({ count: 3, series: { count: 9 } }).count).toBe(9);
    expect(normalizeEvent({ count: 'x' }).count).toBe(1);
  });

  it('gives empty strings for missing fields and a core/v1 group when in doubt', () => {
    const event = normalizeEvent({});
    expect(event.apiGroup).toBe('core/v1');
    expect(event.uid).toBe('');
    expect(event.involvedObject.kind).toBe('');
    expect(event.firstTimestamp).toBe('');
    expect(event.lastTimestamp).toBe('');
    expect(normalizeEvent({ note: 'x', regarding: {} }).apiGroup).toBe('events.k8s.io/v1');
  });

  it('writes whole-second times exactly as a Date round trip would', () => {
    const seconds = fc.date({
      min: new Date('1970-01-01'),
      max: new Date('9999-12-31'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(seconds, (date) => {
        const wire = `${date.toISOString().slice(0, 19)}Z`;
        const event = normalizeEvent({ firstTimestamp: wire, lastTimestamp: wire });
        expect(event.lastTimestamp).toBe(new Date(Date.parse(wire)).toISOString());
        expect(event.firstTimestamp).toBe(event.lastTimestamp);
      }),
    );
    expect(normalizeEvent({ lastTimestamp: '2026-13-45T99:99:99Z' }).lastTimestamp).toBe('');
  });

  it('never throws, whatever arrives', () => {
    const anything = fc.oneof(
      fc.anything(),
      fc.record({
        metadata: fc.anything(),
        count: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.double()),
        series: fc.anything(),
        eventTime: fc.oneof(
          fc.string(),
          fc.constant(null),
          fc.integer(),
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        ),
        lastTimestamp: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
        firstTimestamp: fc.anything(),
        involvedObject: fc.anything(),
        regarding: fc.anything(),
        source: fc.anything(),
        apiVersion: fc.constantFrom('v1', 'events.k8s.io/v1', undefined, 42),
      }),
    );
    fc.assert(
      fc.property(anything, (obj) => {
        const event = normalizeEvent(obj);
        expect(event.count).toBeGreaterThanOrEqual(1);
        expect(Number.isInteger(event.count)).toBe(true);
        for (const key of [
          'uid',
          'namespace',
          'name',
          'reason',
          'message',
          'type',
          'lastTimestamp',
        ] as const) {
          expect(typeof event[key]).toBe('string');
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('occurrences', () => {
  const at = (count: number, last: string) =>
    occurrenceMark(normalizeEvent({ ...coreEvent, count, lastTimestamp: last }));

  it('a rise of count, or a newer lastTimestamp at the same count, is a new occurrence', () => {
    const base = at(5, '2026-01-01T00:05:00Z');
    expect(isLaterOccurrence(at(6, '2026-01-01T00:05:00Z'), base)).toBe(true);
    expect(isLaterOccurrence(at(5, '2026-01-01T00:06:00Z'), base)).toBe(true);
    expect(isLaterOccurrence(at(5, '2026-01-01T00:05:00Z'), base)).toBe(false);
    expect(isLaterOccurrence(at(4, '2026-01-01T00:09:00Z'), base)).toBe(false);
  });

  it('gives each occurrence a stable id', () => {
    const event = normalizeEvent(coreEvent);
    expect(occurrenceId(event)).toBe(`u-1/5/${Date.parse('2026-01-01T00:05:00Z')}`);
    expect(occurrenceId(normalizeEvent({ ...coreEvent, count: 6 }))).not.toBe(occurrenceId(event));
  });
});
