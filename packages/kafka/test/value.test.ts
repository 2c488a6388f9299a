import { normalizeEvent } from '@keventer/core';
import { buildEvent } from '@keventer/testing';
import { describe, expect, it } from 'vitest';
import { eventMessage, goTime, messageKey, OCCURRENCE_HEADER } from '../src/value.js';

const podEvent = () =>
  normalizeEvent(
    buildEvent({
      metadata: { uid: 'ev-1', name: 'web-0.17', namespace: 'shop' },
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off <restarting> "web" & 中文',
      count: 3,
      source: { component: 'kubelet', host: 'node-7' },
      firstTimestamp: '2026-12-06T10:00:00Z',
      lastTimestamp: '2026-12-06T10:05:00Z',
      involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web-0', uid: 'pod-uid-0' },
    }),
  );

const kubeEventer = { format: 'kube-eventer', key: 'object' } as const;

describe("kube-eventer's message value", () => {
  it('is its KafkaSinkPoint: the event JSON indented by one space, the last occurrence, the tags', () => {
    const event = podEvent();
    const value = JSON.parse(eventMessage(event, kubeEventer).value);
    expect(Object.keys(value)).toEqual(['EventValue', 'EventTimestamp', 'EventTags']);
    expect(value.EventTimestamp).toBe('2026-12-06T10:05:00Z');
    // Go's map keys come sorted: eventID, hostname, pod_id, pod_name.
    expect(Object.entries(value.EventTags)).toEqual([
      ['eventID', 'ev-1'],
      ['hostname', 'node-7'],
      ['pod_id', 'pod-uid-0'],
      ['pod_name', 'web-0'],
    ]);
    expect(typeof value.EventValue).toBe('string');
    // What client-go decoded (no apiVersion/kind), as json.MarshalIndent(event, "", " ") writes it.
    const { apiVersion: _v, kind: _k, ...object } = event.raw as unknown as Record<string, unknown>;
    expect(value.EventValue).toBe(JSON.stringify(object, null, 1));
    expect(value.EventValue).toMatch(/^\{\n "metadata": \{\n {2}"name": "web-0.17",\n/);
    expect(JSON.parse(value.EventValue).message).toBe('Back-off <restarting> "web" & 中文');
  });

  it('has no pod tags for another kind, and an empty hostname when the source has none', () => {
    const event = normalizeEvent(
      buildEvent({
        metadata: { uid: 'ev-2' },
        involvedObject: { kind: 'Node', namespace: '', name: 'node-7', uid: 'node-7' },
        source: { component: 'kubelet' },
      }),
    );
    const tags = JSON.parse(eventMessage(event, kubeEventer).value).EventTags;
    expect(tags).toEqual({ eventID: 'ev-2', hostname: '' });
  });

  it("writes the event's own JSON with format=event", () => {
    const event = podEvent();
    const message = eventMessage(event, { format: 'event', key: 'object' });
    expect(JSON.parse(message.value)).toEqual(event.raw);
  });

  it('names the occurrence in a header, for consumers that drop replays', () => {
    const message = eventMessage(podEvent(), kubeEventer);
    expect(message.headers[OCCURRENCE_HEADER]).toMatch(/^ev-1\/3\//);
  });
});

describe('the message key', () => {
  it('is kind/namespace/name by default, the uid or none on request', () => {
    const event = podEvent();
    expect(messageKey(event, 'object')).toBe('Pod/shop/web-0');
    expect(messageKey(event, 'uid')).toBe('pod-uid-0');
    expect(messageKey(event, 'none')).toBeNull();
    expect(eventMessage(event, { format: 'event', key: 'none' }).key).toBeNull();
  });

  it('keeps a cluster-scoped object keyed, and has no uid key when the object has no uid', () => {
    const event = normalizeEvent(
      buildEvent({ involvedObject: { kind: 'Node', namespace: '', name: 'n1', uid: '' } }),
    );
    expect(messageKey(event, 'object')).toBe('Node//n1');
    expect(messageKey(event, 'uid')).toBeNull();
  });
});

describe("Go's time format", () => {
  it.each([
    ['2026-12-06T10:05:00Z', '2026-12-06T10:05:00Z'],
    ['2026-12-06T10:05:00.000Z', '2026-12-06T10:05:00Z'],
    ['2026-12-06T10:05:00.123400Z', '2026-12-06T10:05:00.1234Z'],
    ['2026-12-06T12:05:00+02:00', '2026-12-06T10:05:00Z'],
  ])('%s is written %s', (input, expected) => {
    expect(goTime(input)).toBe(expected);
  });
});
