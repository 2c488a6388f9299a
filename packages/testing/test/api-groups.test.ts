import { describe, expect, it } from 'vitest';
import { buildEvent, buildEventsV1, events, toCoreV1, toEventsV1 } from '../src/index.js';
import { getJson, startServer, WatchClient } from './helpers.js';

describe('both API groups are views of one store', () => {
  it('converts core/v1 to events.k8s.io/v1 field by field', async () => {
    const server = await startServer();
    const stored = server.createEvent(
      buildEvent({
        metadata: { namespace: 'shop', name: 'web.1', labels: { a: 'b' } },
        involvedObject: {
          kind: 'Pod',
          namespace: 'shop',
          name: 'web',
          uid: 'u1',
          fieldPath: 'spec.containers{app}',
        },
        reason: 'BackOff',
        message: 'Back-off restarting failed container',
        type: 'Warning',
        source: { component: 'kubelet', host: 'node-2' },
        count: 4,
        firstTimestamp: '2026-01-02T03:04:05Z',
        lastTimestamp: '2026-01-02T03:09:05Z',
        reportingComponent: 'kubelet',
        reportingInstance: 'node-2',
      }),
    );
    const { body } = await getJson(server, '/apis/events.k8s.io/v1/namespaces/shop/events');
    expect(body.apiVersion).toBe('events.k8s.io/v1');
    expect(body.items[0]).toEqual({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: stored.metadata,
      eventTime: null,
      reportingController: 'kubelet',
      reportingInstance: 'node-2',
      reason: 'BackOff',
      regarding: {
        kind: 'Pod',
        namespace: 'shop',
        name: 'web',
        uid: 'u1',
        apiVersion: 'v1',
        fieldPath: 'spec.containers{app}',
      },
      note: 'Back-off restarting failed container',
      type: 'Warning',
      deprecatedSource: { component: 'kubelet', host: 'node-2' },
      deprecatedFirstTimestamp: '2026-01-02T03:04:05Z',
      deprecatedLastTimestamp: '2026-01-02T03:09:05Z',
      deprecatedCount: 4,
    });
    const core = await getJson(server, '/api/v1/namespaces/shop/events');
    expect(core.body.items[0]).toEqual(stored);
  });

  it('stores an events.k8s.io/v1 object as core/v1 and shows it back unchanged', async () => {
    const server = await startServer();
    const input = buildEventsV1({
      metadata: { namespace: 'batch', name: 'report.1' },
      regarding: { kind: 'Pod', namespace: 'batch', name: 'report', uid: 'u2' },
      series: { count: 3, lastObservedTime: '2026-01-02T03:04:09.000001Z' },
      eventTime: '2026-01-02T03:04:05.123456Z',
      reason: 'FailedScheduling',
      note: '0/3 nodes are available: 3 Insufficient memory.',
      type: 'Warning',
      action: 'Scheduling',
    });
    const stored = server.createEvent(input);
    expect(stored).toMatchObject({
      apiVersion: 'v1',
      involvedObject: input.regarding,
      message: input.note,
      reportingComponent: 'default-scheduler',
      eventTime: '2026-01-02T03:04:05.123456Z',
      series: { count: 3 },
    });
    expect(stored.count).toBeUndefined();
    const { body } = await getJson(server, '/apis/events.k8s.io/v1/events');
    const { metadata, ...rest } = body.items[0];
    const { metadata: _m, ...expected } = input;
    expect(rest).toEqual(expected);
    expect(metadata).toMatchObject({
      namespace: 'batch',
      name: 'report.1',
      resourceVersion: server.resourceVersion,
    });
    expect(toEventsV1(toCoreV1(input))).toEqual(input);
  });

  it('streams the same change to watches of both groups, each in its own form', async () => {
    const server = await startServer();
    const rv = server.resourceVersion;
    const core = await WatchClient.open(server, `/api/v1/events?watch=1&resourceVersion=${rv}`);
    const v1 = await WatchClient.open(
      server,
      `/apis/events.k8s.io/v1/namespaces/shop/events?watch=1&resourceVersion=${rv}`,
    );
    server.createEvent(events.backOff('shop/web-7d4b9c-x2x1z'));
    server.createEvent(events.nodeNotReady('node-2'));
    await core.until((w) => w.lines.length === 2);
    await v1.until((w) => w.lines.length === 1);
    expect(core.lines[0]?.object).toMatchObject({
      apiVersion: 'v1',
      reason: 'BackOff',
      involvedObject: { name: 'web-7d4b9c-x2x1z' },
    });
    expect(v1.lines[0]?.object).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      reason: 'BackOff',
      regarding: { name: 'web-7d4b9c-x2x1z' },
      deprecatedCount: 1,
    });
    expect(toCoreV1(v1.lines[0]?.object)).toEqual(core.lines[0]?.object);
  });

  it('supports each group’s field labels and rejects unknown ones with 400', async () => {
    const server = await startServer();
    server.createEvent(events.nodeNotReady('node-2'));
    server.createEvent(events.backOff('shop/web-1'));
    server.createEvent(events.started('shop/web-1'));
    const q = (path: string, selector: string) =>
      getJson(server, `${path}?fieldSelector=${encodeURIComponent(selector)}`);
    const reasons = (r: { body: { items: { reason: string }[] } }) =>
      r.body.items.map((e) => e.reason).sort();

    expect(reasons(await q('/api/v1/events', 'involvedObject.kind=Node'))).toEqual([
      'NodeNotReady',
    ]);
    expect(reasons(await q('/api/v1/events', 'involvedObject.namespace='))).toEqual([
      'NodeNotReady',
    ]);
    expect(reasons(await q('/api/v1/events', 'involvedObject.name=web-1,type!=Warning'))).toEqual([
      'Started',
    ]);
    expect(reasons(await q('/api/v1/events', 'reason==BackOff,metadata.namespace=shop'))).toEqual([
      'BackOff',
    ]);
    expect(reasons(await q('/api/v1/events', 'source=node-controller'))).toEqual(['NodeNotReady']);
    expect(
      reasons(await q('/apis/events.k8s.io/v1/events', 'regarding.kind=Pod,reason!=Started')),
    ).toEqual(['BackOff']);
    expect(
      reasons(await q('/apis/events.k8s.io/v1/events', 'reportingController=node-controller')),
    ).toEqual(['NodeNotReady']);

    const bad = await q('/api/v1/events', 'regarding.kind=Pod');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      kind: 'Status',
      code: 400,
      reason: 'BadRequest',
      message: 'field label not supported: regarding.kind',
    });
    expect((await q('/apis/events.k8s.io/v1/events', 'involvedObject.kind=Pod')).status).toBe(400);
    expect((await q('/api/v1/events', 'nonsense')).status).toBe(400);
    const watch = await getJson(
      server,
      `/api/v1/events?watch=1&fieldSelector=${encodeURIComponent('spec.foo=1')}`,
    );
    expect(watch.status).toBe(400);
  });

  it('supports label selectors: =, !=, exists, not exists, in, notin', async () => {
    const server = await startServer();
    const labelled = (name: string, labels: Record<string, string>) =>
      server.createEvent(buildEvent({ metadata: { namespace: 'ns', name, labels } }));
    labelled('a', { env: 'prod', tier: 'web' });
    labelled('b', { env: 'dev' });
    labelled('c', {});
    const q = async (selector: string) =>
      (
        await getJson(server, `/api/v1/events?labelSelector=${encodeURIComponent(selector)}`)
      ).body.items.map((e: { metadata: { name: string } }) => e.metadata.name);
    expect(await q('env=prod')).toEqual(['a']);
    expect(await q('env!=prod')).toEqual(['b', 'c']);
    expect(await q('env')).toEqual(['a', 'b']);
    expect(await q('!env')).toEqual(['c']);
    expect(await q('env in (prod,dev),tier')).toEqual(['a']);
    expect(await q('env notin (prod)')).toEqual(['b', 'c']);
    expect((await getJson(server, '/api/v1/events?labelSelector=%3D%3Dx')).status).toBe(400);
  });
});
