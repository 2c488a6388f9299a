import { describe, expect, it } from 'vitest';
import { buildEvent, waitFor } from '../src/index.js';
import { getJson, sleep, startServer, WatchClient } from './helpers.js';

const ev = (name: string) => buildEvent({ metadata: { namespace: 'ns', name } });

describe('faults', () => {
  it('dropConnections destroys every open watch abruptly', async () => {
    const server = await startServer();
    const a = await WatchClient.open(server, '/api/v1/events?watch=1');
    const b = await WatchClient.open(server, '/apis/events.k8s.io/v1/events?watch=1');
    expect(server.openWatches).toBe(2);
    expect(server.faults.dropConnections()).toBe(2);
    await a.untilEnded();
    await b.untilEnded();
    expect(a.error ?? b.error).toBeDefined(); // not a clean end of the chunked body
    expect(server.openWatches).toBe(0);
  });

  it('stallWatches holds back events and bookmarks until resumeWatches delivers them', async () => {
    const server = await startServer({ bookmarkIntervalMs: 20 });
    const rv = server.resourceVersion;
    const open = await WatchClient.open(
      server,
      `/api/v1/events?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true`,
    );
    server.faults.stallWatches();
    const late = await WatchClient.open(
      server,
      `/api/v1/events?watch=1&resourceVersion=${rv}&timeoutSeconds=0.05`,
    );
    expect(late.status).toBe(200);
    server.createEvent(ev('a'));
    server.createEvent(ev('b'));
    await server.flushed(); // stalled watches are not waited for
    await sleep(120);
    expect(open.lines).toEqual([]);
    expect(late.lines).toEqual([]);
    expect(late.ended).toBe(false); // the timeout passed, but a stalled server sends nothing
    server.faults.resumeWatches();
    await open.until((w) => w.changes.length === 2);
    expect(open.changes.map((l) => l.object.metadata.name)).toEqual(['a', 'b']);
    await late.untilEnded();
    expect(late.changes.map((l) => l.object.metadata.name)).toEqual(['a', 'b']);
    await open.until((w) => w.types.includes('BOOKMARK'), 1000, 'a bookmark after resume');
  });

  it('force410 via http answers the next watch with a 410 Status', async () => {
    const server = await startServer();
    server.faults.force410({ via: 'http', times: 2 });
    for (let i = 0; i < 2; i++) {
      const gone = await getJson(server, '/api/v1/events?watch=1&resourceVersion=1');
      expect(gone.status).toBe(410);
      expect(gone.body).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
      expect(gone.body.message).toMatch(/^too old resource version: 1 \(\d+\)$/);
    }
    const list = await getJson(server, '/api/v1/events');
    expect(list.status).toBe(200); // lists are not affected
    const watch = await WatchClient.open(server, '/api/v1/events?watch=1&resourceVersion=1');
    expect(watch.status).toBe(200);
    expect(server.openWatches).toBe(1);
  });

  it('force410 via event sends HTTP 200, an ERROR 410 event, then closes', async () => {
    const server = await startServer();
    server.createEvent(ev('a'));
    server.faults.force410({ via: 'event' });
    const watch = await WatchClient.open(server, '/api/v1/events?watch=1&resourceVersion=2');
    expect(watch.status).toBe(200);
    await watch.untilEnded();
    expect(watch.error).toBeUndefined();
    expect(watch.lines).toHaveLength(1);
    expect(watch.lines[0]).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired' },
    });
    expect(watch.lines[0]?.object.message).toMatch(/^too old resource version: 2 \(\d+\)$/);
  });

  it('failRequests answers matching requests with a Status, times and kind respected', async () => {
    const server = await startServer();
    server.faults.failRequests({ status: 429, kind: 'list', times: 2, retryAfterSeconds: 3 });
    server.faults.failRequests({ status: 403, kind: 'watch' });
    const watch = await getJson(server, '/api/v1/namespaces/shop/events?watch=1');
    expect(watch.status).toBe(403);
    expect(watch.body).toMatchObject({ kind: 'Status', code: 403, reason: 'Forbidden' });
    expect(watch.body.message).toBe(
      'events is forbidden: User "system:serviceaccount:default:keventer" cannot watch resource "events" in API group "" in the namespace "shop"',
    );
    for (let i = 0; i < 2; i++) {
      const limited = await getJson(server, '/apis/events.k8s.io/v1/events');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('3');
      expect(limited.body).toMatchObject({
        reason: 'TooManyRequests',
        details: { retryAfterSeconds: 3 },
      });
    }
    expect((await getJson(server, '/api/v1/events')).status).toBe(200);

    server.faults.failRequests({ status: 500 });
    const broken = await getJson(server, '/api/v1/events');
    expect(broken.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      code: 500,
      reason: 'InternalError',
    });
    server.faults.failRequests({ status: 401, times: Number.POSITIVE_INFINITY });
    expect((await getJson(server, '/api/v1/events')).status).toBe(401);
    expect((await getJson(server, '/api/v1/events')).status).toBe(401);
    server.faults.reset();
    expect((await getJson(server, '/api/v1/events')).status).toBe(200);
    expect(server.requests.map((r) => r.status)).toEqual([403, 429, 429, 200, 500, 401, 401, 200]);
  });

  it('sendMalformedLine writes a non-JSON line to each open watch, which then goes on', async () => {
    const server = await startServer();
    const watch = await WatchClient.open(
      server,
      `/api/v1/events?watch=1&resourceVersion=${server.resourceVersion}`,
    );
    server.createEvent(ev('a'));
    expect(server.faults.sendMalformedLine()).toBe(1);
    server.createEvent(ev('b'));
    await watch.until((w) => w.lines.length === 2);
    expect(watch.malformed).toEqual(['{"type":"ADDED","object":{']);
    expect(watch.lines.map((l) => l.object.metadata.name)).toEqual(['a', 'b']);
  });

  it('trickleWatches sends one byte at a time and never a whole line', async () => {
    const server = await startServer();
    const watch = await WatchClient.open(
      server,
      `/api/v1/events?watch=1&resourceVersion=${server.resourceVersion}`,
    );
    server.faults.stallWatches(); // no bookmarks or events in between
    expect(server.faults.trickleWatches({ text: 'ab', intervalMs: 5 })).toBe(1);
    await watch.until((w) => w.bytes >= 6, 2000, 'six trickled bytes');
    expect(watch.lines).toEqual([]);
    expect(watch.malformed).toEqual([]); // no newline, so no line at all
    server.faults.reset();
    server.createEvent(ev('after'));
    await watch.until((w) => w.malformed.length === 1);
    expect(watch.malformed[0]).toMatch(/^(ab)+a?\{"type":"ADDED"/); // the trickle, then the event
  });

  it('sendEndlessLine writes a line that never ends, as fast as the client reads', async () => {
    const server = await startServer();
    const watch = await WatchClient.open(
      server,
      `/api/v1/events?watch=1&resourceVersion=${server.resourceVersion}`,
    );
    expect(server.faults.sendEndlessLine()).toBe(1);
    await watch.until((w) => w.bytes > 512 * 1024, 5000, '512 KiB of one line');
    expect(watch.lines).toEqual([]);
    expect(watch.malformed).toEqual([]);
    watch.close();
    await watch.untilEnded();
    await waitFor(() => server.openWatches === 0);
  });

  it('endlessListBody answers the next list with a body that never ends', async () => {
    const server = await startServer();
    server.createEvent(ev('a'));
    server.faults.endlessListBody();
    const res = await fetch(`${server.url}/api/v1/events`);
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let bytes = 0;
    let head = '';
    while (bytes < 2 * 1024 * 1024) {
      const { value, done } = await reader.read();
      expect(done).toBe(false);
      if (head.length < 40) head += Buffer.from(value as Uint8Array).toString();
      bytes += value?.length ?? 0;
    }
    await reader.cancel();
    expect(head).toMatch(
      /^\{"kind":"EventList","apiVersion":"v1","metadata":\{"resourceVersion":"\d+"\},"items":\[\{\},/,
    );
    expect((await getJson(server, '/api/v1/events')).body.items).toHaveLength(1); // once only
  });

  it('endlessContinueTokens answers every list with an empty page and a new continue token', async () => {
    const server = await startServer();
    server.createEvent(ev('a'));
    server.faults.endlessContinueTokens();
    const first = await getJson(server, '/api/v1/events?limit=10');
    const second = await getJson(
      server,
      `/api/v1/events?limit=10&continue=${first.body.metadata.continue}`,
    );
    for (const page of [first, second]) {
      expect(page.status).toBe(200);
      expect(page.body.items).toEqual([]);
      expect(page.body.metadata.continue).toMatch(/^[\w-]+$/);
    }
    expect(second.body.metadata.continue).not.toBe(first.body.metadata.continue);
    server.faults.reset();
    const normal = await getJson(server, '/api/v1/events?limit=10');
    expect(normal.body.items).toHaveLength(1);
    expect(normal.body.metadata.continue).toBeUndefined();
  });

  it('expireContinueTokens answers the next list page after the first with 410 Expired', async () => {
    const server = await startServer();
    server.createEvents([ev('a'), ev('b'), ev('c')]);
    server.faults.expireContinueTokens();
    const first = await getJson(server, '/api/v1/events?limit=2');
    expect(first.status).toBe(200); // a first page has no token to expire
    const next = `/api/v1/events?limit=2&continue=${first.body.metadata.continue}`;
    const expired = await getJson(server, next);
    expect(expired.status).toBe(410);
    expect(expired.body).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    expect((await getJson(server, next)).body.items).toHaveLength(1); // once only
  });
});
