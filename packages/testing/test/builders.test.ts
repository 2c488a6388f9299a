import { describe, expect, it } from 'vitest';
import { buildEvent, buildEventsV1, events } from '../src/index.js';

const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const MICRO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

describe('builders', () => {
  it('buildEvent makes an old-style kubelet core/v1 Event about a Pod', () => {
    const at = new Date('2026-03-04T05:06:07.890Z');
    const e = buildEvent({}, { at });
    expect(e).toMatchObject({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { namespace: 'default' },
      involvedObject: {
        kind: 'Pod',
        namespace: 'default',
        name: 'web-7d4b9c-x2x1z',
        apiVersion: 'v1',
      },
      source: { component: 'kubelet', host: 'node-1' },
      count: 1,
      type: 'Normal',
      firstTimestamp: '2026-03-04T05:06:07Z',
      lastTimestamp: '2026-03-04T05:06:07Z',
      eventTime: null,
    });
    expect(e.metadata?.name).toMatch(/^web-7d4b9c-x2x1z\.[0-9a-f]{16}$/);
    expect(e.involvedObject?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(buildEvent().metadata?.name).not.toBe(buildEvent().metadata?.name);
  });

  it('buildEvent merges metadata and involvedObject, lets any other field win', () => {
    const e = buildEvent({
      metadata: { labels: { a: 'b' } },
      involvedObject: { kind: 'Node', name: 'node-9' },
      type: 'Warning',
      count: 7,
    });
    expect(e.involvedObject).toMatchObject({ kind: 'Node', name: 'node-9' });
    expect(e.involvedObject?.namespace).toBeUndefined();
    expect(e.metadata).toMatchObject({ namespace: 'default', labels: { a: 'b' } });
    expect(e.metadata?.name).toMatch(/^node-9\./);
    expect(e).toMatchObject({ type: 'Warning', count: 7 });
  });

  it('buildEventsV1 makes a new-style Event with a MicroTime eventTime', () => {
    const e = buildEventsV1({
      series: { count: 2, lastObservedTime: '2026-01-02T03:04:05.123456Z' },
    });
    expect(e).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      reportingController: 'default-scheduler',
      action: 'Binding',
      reason: 'Scheduled',
      regarding: { kind: 'Pod' },
      series: { count: 2 },
    });
    expect(e.eventTime).toMatch(MICRO_TIME);
    expect(e.eventTime?.slice(-4, -1)).not.toBe('000');
    expect(e).not.toHaveProperty('deprecatedCount');
  });

  it('named helpers word events like the real components', () => {
    const pod = { name: 'web-7d4b9c-x2x1z', namespace: 'shop', uid: 'pod-uid', node: 'node-2' };
    expect(events.failedScheduling(pod)).toMatchObject({
      type: 'Warning',
      reason: 'FailedScheduling',
      message:
        '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
      reportingComponent: 'default-scheduler',
      firstTimestamp: null,
      lastTimestamp: null,
      source: {},
    });
    expect(events.failedScheduling(pod).eventTime).toMatch(MICRO_TIME);
    expect(events.backOff(pod)).toMatchObject({
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off restarting failed container app in pod web-7d4b9c-x2x1z_shop(pod-uid)',
      involvedObject: {
        kind: 'Pod',
        namespace: 'shop',
        name: pod.name,
        uid: 'pod-uid',
        fieldPath: 'spec.containers{app}',
      },
      source: { component: 'kubelet', host: 'node-2' },
      metadata: { namespace: 'shop' },
    });
    expect(events.imagePullBackOff('shop/web-7d4b9c-x2x1z').message).toBe(
      'Back-off pulling image "registry.example.com/web:1.4.2"',
    );
    expect(events.pulled(pod).message).toMatch(
      /^Successfully pulled image "registry\.example\.com\/web:1\.4\.2" in /,
    );
    expect(events.started(pod).message).toBe('Started container app');
    expect(events.unhealthy(pod, 'Liveness').message).toBe(
      'Liveness probe failed: HTTP probe failed with statuscode: 500',
    );
    expect(events.unhealthy(pod, 'Readiness').message).toMatch(
      /^Readiness probe failed: Get "http:\/\/10\.244\.\d+\.\d+:8080\/ready": dial tcp .* connection refused$/,
    );
    expect(events.oomKilled(pod)).toMatchObject({
      type: 'Warning',
      reason: 'OOMKilling',
      involvedObject: { kind: 'Node', name: 'node-2' },
      metadata: { namespace: 'default' },
    });
    expect(events.scaled('shop/web', { to: 5, from: 3 })).toMatchObject({
      reason: 'ScalingReplicaSet',
      message: 'Scaled up replica set web-7d4b9c to 5 from 3',
      involvedObject: { kind: 'Deployment', apiVersion: 'apps/v1', namespace: 'shop', name: 'web' },
      source: { component: 'deployment-controller' },
    });
  });

  it('nodeNotReady is about a Node with no namespace, recorded in default by node-controller', () => {
    const e = events.nodeNotReady(
      { name: 'node-3', uid: 'n-uid' },
      { at: new Date('2026-01-01T00:00:00Z') },
    );
    expect(e).toMatchObject({
      metadata: { namespace: 'default' },
      involvedObject: { kind: 'Node', name: 'node-3', uid: 'n-uid', apiVersion: 'v1' },
      reason: 'NodeNotReady',
      message: 'Node node-3 status is now: NodeNotReady',
      source: { component: 'node-controller' },
      firstTimestamp: '2026-01-01T00:00:00Z',
    });
    expect(e.involvedObject).not.toHaveProperty('namespace');
    expect(e.source).not.toHaveProperty('host');
    expect(e.lastTimestamp).toMatch(TIME);
  });
});
