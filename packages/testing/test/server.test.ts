import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEvent, events } from '../src/index.js';
import { getJson, startServer } from './helpers.js';

const names = (list: { items: { metadata: { namespace: string; name: string } }[] }): string[] =>
  list.items.map((e) => `${e.metadata.namespace}/${e.metadata.name}`);

describe('list', () => {
  it('returns an EventList in key order with the current resourceVersion', async () => {
    const server = await startServer({ startResourceVersion: 100 });
    server.createEvent(buildEvent({ metadata: { namespace: 'b', name: 'x' } }));
    server.createEvent(buildEvent({ metadata: { namespace: 'a', name: 'z' } }));
    server.createEvent(buildEvent({ metadata: { namespace: 'a', name: 'y' } }));
    const { status, body } = await getJson(server, '/api/v1/events');
    expect(status).toBe(200);
    expect(body.kind).toBe('EventList');
    expect(body.apiVersion).toBe('v1');
    expect(body.metadata).toEqual({ resourceVersion: '103' });
    expect(names(body)).toEqual(['a/y', 'a/z', 'b/x']);
    expect(
      body.items.map((e: { metadata: { resourceVersion: string } }) => e.metadata.resourceVersion),
    ).toEqual(['103', '102', '101']);
    expect(body.items[0]).toMatchObject({ apiVersion: 'v1', kind: 'Event' });
    expect(server.resourceVersion).toBe('103');
  });

  it('paginates one consistent snapshot: later writes do not show up, deletions do not hide items', async () => {
    const server = await startServer();
    for (let i = 0; i < 10; i++)
      server.createEvent(buildEvent({ metadata: { namespace: 'ns', name: `e${i}` } }));
    const first = await getJson(server, '/api/v1/events?limit=4');
    expect(names(first.body)).toEqual(['ns/e0', 'ns/e1', 'ns/e2', 'ns/e3']);
    expect(first.body.metadata.remainingItemCount).toBe(6);
    const rv = first.body.metadata.resourceVersion;

    // Changes between pages: a new item sorting inside the range, a deletion, an update.
    server.createEvent(buildEvent({ metadata: { namespace: 'ns', name: 'e55' } }));
    server.deleteEvent('ns', 'e7');
    server.updateEvent('ns', 'e5', { message: 'changed' });

    const seen = [...names(first.body)];
    let token = first.body.metadata.continue as string;
    let pages = 1;
    while (token) {
      const page = await getJson(
        server,
        `/api/v1/events?limit=4&continue=${encodeURIComponent(token)}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.metadata.resourceVersion).toBe(rv);
      seen.push(...names(page.body));
      if (names(page.body).includes('ns/e5')) {
        const e5 = page.body.items.find(
          (e: { metadata: { name: string } }) => e.metadata.name === 'e5',
        );
        expect(e5.message).not.toBe('changed');
      }
      token = page.body.metadata.continue;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => `ns/e${i}`));

    // A fresh list sees the present.
    const now = await getJson(server, '/api/v1/events');
    expect(names(now.body)).toContain('ns/e55');
    expect(names(now.body)).not.toContain('ns/e7');
  });

  it('answers 410 Expired for a continue token whose snapshot fell out of the history', async () => {
    const server = await startServer({ historyLimit: 5 });
    for (let i = 0; i < 4; i++)
      server.createEvent(buildEvent({ metadata: { namespace: 'ns', name: `e${i}` } }));
    const first = await getJson(server, '/api/v1/events?limit=2');
    const token = encodeURIComponent(first.body.metadata.continue);
    const ok = await getJson(server, `/api/v1/events?limit=2&continue=${token}`);
    expect(ok.status).toBe(200);
    for (let i = 0; i < 6; i++)
      server.createEvent(buildEvent({ metadata: { namespace: 'ns', name: `f${i}` } }));
    const gone = await getJson(server, `/api/v1/events?limit=2&continue=${token}`);
    expect(gone.status).toBe(410);
    expect(gone.body).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'Expired',
      code: 410,
    });
    const unknown = await getJson(server, '/api/v1/events?limit=2&continue=bm90LWEtdG9rZW4');
    expect(unknown.status).toBe(410);
    expect(server.requests.at(-1)).toMatchObject({ kind: 'list', status: 410 });
  });

  it('lists a namespace, and one Event by name', async () => {
    const server = await startServer();
    server.createEvent(events.backOff('shop/web-1'));
    const stored = server.createEvent(events.started('pay/api-1'));
    const { body } = await getJson(server, '/api/v1/namespaces/pay/events');
    expect(names(body)).toEqual([`pay/${stored.metadata?.name}`]);
    const one = await getJson(
      server,
      `/apis/events.k8s.io/v1/namespaces/pay/events/${stored.metadata?.name}`,
    );
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      note: 'Started container app',
    });
    const missing = await getJson(server, '/api/v1/namespaces/pay/events/nope');
    expect(missing.body).toMatchObject({ kind: 'Status', code: 404, reason: 'NotFound' });
    expect(server.requests.at(-1)?.kind).toBe('other');
  });

  it('answers unknown paths and methods with a Status', async () => {
    const server = await startServer();
    const notFound = await getJson(server, '/api/v1/pods');
    expect(notFound.status).toBe(404);
    expect(notFound.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      code: 404,
      reason: 'NotFound',
    });
    const post = await fetch(`${server.url}/api/v1/events`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(server.requests.map((r) => [r.method, r.path, r.kind, r.status])).toEqual([
      ['GET', '/api/v1/pods', 'other', 404],
      ['POST', '/api/v1/events', 'list', 405],
    ]);
  });

  it('requires the bearer token when one is set', async () => {
    const server = await startServer({ token: 's3cret' });
    server.createEvent(buildEvent());
    const denied = await getJson(server, '/api/v1/events');
    expect(denied.status).toBe(401);
    expect(denied.body).toMatchObject({ kind: 'Status', code: 401, reason: 'Unauthorized' });
    const wrong = await getJson(server, '/api/v1/events', { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    const ok = await getJson(server, '/api/v1/events', { authorization: 'Bearer s3cret' });
    expect(ok.status).toBe(200);
    expect(ok.body.items).toHaveLength(1);
  });
});

describe('kubeconfig', () => {
  it('points a context named fake at the server with the token', async () => {
    const server = await startServer({ token: 'abc' });
    const yaml = server.kubeconfig();
    expect(yaml).toContain(`server: "${server.url}"`);
    expect(yaml).toContain('token: "abc"');
    expect(yaml).toContain('current-context: "fake"');
    expect(yaml).toContain('insecure-skip-tls-verify: true'); // client-node 1.x refuses http:// without it
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const path = await server.writeKubeconfig(
      join(await mkdtemp(join(tmpdir(), 'kev-')), 'config'),
    );
    expect(await readFile(path, 'utf8')).toBe(yaml);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const anonymous = await startServer();
    expect(anonymous.kubeconfig()).toContain('token: "fake"');
  });
});
