import { normalizeEvent } from '@keventer/core';
import { buildEvent, podEvent } from '@keventer/testing';
import { describe, expect, it } from 'vitest';
import { toLine } from '../src/line-protocol.js';
import { occurrenceTime, type PointLayout, toPoint } from '../src/points.js';

const layout = (extra: Partial<PointLayout> = {}): PointLayout => ({
  layout: 'kube-eventer',
  withfields: false,
  clusterName: 'prod',
  precision: 'ns',
  ...extra,
});

const AT = new Date('2026-03-01T10:00:05Z');
const pod = () => podEvent('web-1', { at: AT, message: 'Back-off "app"\nline 2, x=1' });

describe("kube-eventer's layouts", () => {
  it('withfields=false: log/events, the event JSON in value, uid/pod/host/cluster tags', () => {
    const event = pod();
    const point = toPoint(event, layout());
    expect(point.measurement).toBe('log/events');
    expect(point.tags).toEqual({
      uid: event.uid,
      pod_id: event.involvedObject.uid,
      pod_name: 'web-1',
      hostname: 'node-1',
      cluster_name: 'prod',
    });
    expect(Object.keys(point.fields)).toEqual(['value']);
    expect(JSON.parse(String(point.fields.value))).toEqual(event.raw);
  });

  it('withfields=true: events, message as the field, the event as tags', () => {
    const event = pod();
    const point = toPoint(event, layout({ withfields: true }));
    expect(point.measurement).toBe('events');
    expect(point.fields).toEqual({ message: event.message });
    expect(point.tags).toEqual({
      uid: event.uid,
      pod_id: event.involvedObject.uid,
      object_name: 'web-1',
      type: 'Warning',
      kind: 'Pod',
      component: 'kubelet',
      reason: 'BackOff',
      namespace_name: 'shop',
      hostname: 'node-1',
      cluster_name: 'prod',
    });
  });

  it('pod tags only for Pods', () => {
    const node = normalizeEvent(
      buildEvent({ involvedObject: { kind: 'Node', namespace: '', name: 'n1' } }, { at: AT }),
    );
    expect(toPoint(node, layout()).tags).not.toHaveProperty('pod_id');
    expect(toPoint(node, layout({ withfields: true })).tags).not.toHaveProperty('pod_id');
  });

  it('series: kube_events, bounded tags, the rest as fields', () => {
    const event = pod();
    const point = toPoint(event, layout({ layout: 'series' }));
    expect(point.measurement).toBe('kube_events');
    expect(Object.keys(point.tags).sort()).toEqual([
      'cluster_name',
      'kind',
      'namespace',
      'reason',
      'type',
    ]);
    expect(point.fields).toMatchObject({ name: 'web-1', uid: event.uid, count: 1 });
  });

  it('a hostile message is one line of valid protocol', () => {
    const line = toLine(toPoint(pod(), layout({ withfields: true })));
    expect(line).toMatch(/^events,/);
    expect(line).toContain('message="Back-off \\"app\\"\nline 2, x=1"');
  });
});

describe('occurrence time', () => {
  it("is the occurrence's lastTimestamp (whole seconds) with a tie-breaker within its second", () => {
    const event = pod();
    const ns = occurrenceTime(event, 'ns');
    expect(ns / 1_000_000_000n).toBe(BigInt(AT.getTime() / 1000));
    expect(occurrenceTime(event, 'ns')).toBe(ns); // the same occurrence, the same time
    expect(occurrenceTime(event, 'u') / 1_000_000n).toBe(BigInt(AT.getTime() / 1000));
    expect(occurrenceTime(event, 'ms')).toBe(BigInt(AT.getTime()));
    expect(occurrenceTime(event, 's')).toBe(BigInt(AT.getTime() / 1000));
  });

  it('two occurrences of one event in the same second get different times', () => {
    const first = pod();
    const second = normalizeEvent({ ...first.raw, count: 2 } as never);
    expect(second.lastTimestamp).toBe(first.lastTimestamp);
    expect(occurrenceTime(second, 'ns')).not.toBe(occurrenceTime(first, 'ns'));
  });

  it('keeps 30,000 occurrences of one second apart, within that second (whole-second core/v1 times)', () => {
    const times = new Set<bigint>();
    for (let i = 0; i < 30_000; i++) {
      const event = normalizeEvent(
        buildEvent({ metadata: { uid: `uid-${i}` }, lastTimestamp: AT.toISOString() }) as never,
      );
      const ns = occurrenceTime(event, 'ns');
      expect(ns / 1_000_000_000n).toBe(BigInt(AT.getTime() / 1000));
      times.add(ns);
    }
    expect(times.size).toBe(30_000);
  });

  it('does not depend on when it is written', () => {
    const event = pod();
    const before = occurrenceTime(event, 'ns');
    const later = podEvent('web-1', { at: AT });
    expect(occurrenceTime({ ...later, uid: event.uid }, 'ns')).toBe(before);
  });
});
