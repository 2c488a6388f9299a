import { normalizeEvent } from '@keventer/core';
import { buildEvent, buildEventsV1 } from '@keventer/testing';
import { describe, expect, it } from 'vitest';
import { eventId, toCloudEvent } from '../src/cloud-event.js';
import { eventSubject, guessResource } from '../src/subject.js';

const layout = {
  regionId: 'cn-hangzhou',
  accountId: '15210987',
  clusterId: '123',
  eventBusName: 'default',
};

describe("kube-eventer's CloudEvent", () => {
  it('has its source, type, subject, content type, bus and the core/v1 event as data', () => {
    const raw = buildEvent({
      metadata: { uid: 'u-1' },
      type: 'Warning',
      reason: 'BackOff',
      involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: 'my-namespace', name: 'my-pod' },
      lastTimestamp: '2026-03-01T10:20:30Z',
    });
    const cloudEvent = toCloudEvent(normalizeEvent(raw), layout);
    expect(cloudEvent).toMatchObject({
      source: 'acs.cs',
      specversion: '1.0',
      type: 'cs:k8s:PodRelatedEvent',
      datacontenttype: 'application/json',
      // kube-eventer's own test case, character for character.
      subject: 'acs:cs:cn-hangzhou:15210987:123/apis/v1/namespaces/my-namespace/pods/my-pod',
      time: '2026-03-01T10:20:30Z',
      aliyuneventbusname: 'default',
    });
    expect(cloudEvent.data).toEqual(raw);
    expect(cloudEvent.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('keeps the id of an occurrence across retries, and gives the next occurrence another', () => {
    const first = normalizeEvent(buildEvent({ metadata: { uid: 'u-2' }, count: 3 }));
    const again = normalizeEvent(buildEvent({ metadata: { uid: 'u-2' }, count: 3 }));
    const next = normalizeEvent(buildEvent({ metadata: { uid: 'u-2' }, count: 4 }));
    expect(eventId(again, '123')).toBe(eventId(first, '123'));
    expect(eventId(next, '123')).not.toBe(eventId(first, '123'));
    expect(eventId(first, 'other-cluster')).not.toBe(eventId(first, '123'));
  });

  it('writes an events.k8s.io/v1 event in the core/v1 form kube-eventer watched', () => {
    const raw = buildEventsV1({
      note: '0/3 nodes are available',
      reason: 'FailedScheduling',
      regarding: { kind: 'Pod', namespace: 'shop', name: 'web-0', apiVersion: 'v1' },
      deprecatedCount: 2,
    });
    const data = toCloudEvent(normalizeEvent(raw), layout).data as Record<string, unknown>;
    expect(data).toMatchObject({
      apiVersion: 'v1',
      kind: 'Event',
      message: '0/3 nodes are available',
      reason: 'FailedScheduling',
      involvedObject: raw.regarding,
      reportingComponent: 'default-scheduler',
      count: 2,
    });
    expect(data).not.toHaveProperty('note');
    expect(data).not.toHaveProperty('regarding');
  });

  it('types an event without a kind as cs:k8s:UnknownTypeEvent', () => {
    const event = normalizeEvent(buildEvent({ involvedObject: { kind: '', name: 'x' } }));
    expect(toCloudEvent(event, layout).type).toBe('cs:k8s:UnknownTypeEvent');
  });
});

describe("kube-eventer's subject", () => {
  it.each([
    ['Pod', 'pods'],
    ['Ingress', 'ingresses'],
    ['NetworkPolicy', 'networkpolicies'],
    ['Endpoints', 'endpoints'],
    ['Node', 'nodes'],
  ])('guesses the resource of %s as %s', (kind, resource) => {
    expect(guessResource(kind)).toBe(resource);
  });

  it('keeps the empty namespace of a cluster-scoped object and marks a group without version', () => {
    const node = {
      kind: 'Node',
      namespace: '',
      name: 'n1',
      uid: '',
      apiVersion: 'v1',
      fieldPath: '',
    };
    expect(eventSubject(layout, node)).toBe(
      'acs:cs:cn-hangzhou:15210987:123/apis/v1/namespaces//nodes/n1',
    );
    const odd = { ...node, kind: 'Widget', namespace: 'a', apiVersion: 'example.com' };
    expect(eventSubject(layout, odd)).toBe(
      'acs:cs:cn-hangzhou:15210987:123/apis/example.com/versionUnknown/namespaces/a/widgets/n1',
    );
    const grouped = { ...odd, apiVersion: 'apps/v1', kind: 'Deployment' };
    expect(eventSubject(layout, grouped)).toContain('/apis/apps/v1/namespaces/a/deployments/n1');
  });
});
