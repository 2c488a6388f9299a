import { describe, expect, it } from 'vitest';
import { buildEvent } from '../src/index.js';
import { sleep, startServer, WatchClient } from './helpers.js';

const ev = (name: string, namespace = 'ns') => buildEvent({ metadata: { namespace, name } });

describe('watch', () => {
  it('from a resourceVersion sends exactly the later changes, in order', async () => {
    const server = await startServer();
    server.createEvent(ev('a'));
    server.createEvent(ev('b'));
    const from = server.resourceVersion;
    server.createEvent(ev('c'));
    server.recurEvent('ns', 'a', { message: 'again' });
    server.deleteEvent('ns', 'b');
    const watch = await WatchClient.open(server, `/api/v1/events?watch=1&resourceVersion=${from}`);
    server.createEvent(ev('d'));
    await watch.until((w) => w.lines.length >= 4);
    expect(
      watch.lines.map((l) => [l.type, l.object.metadata.name, l.object.metadata.resourceVersion]),
    ).toEqual([
      ['ADDED', 'c', String(Number(from) + 1)],
      ['MODIFIED', 'a', String(Number(from) + 2)],
      ['DELETED', 'b', String(Number(from) + 3)],
      ['ADDED', 'd', String(Number(from) + 4)],
    ]);
    expect(watch.lines[1]?.object).toMatchObject({ count: 2, message: 'again' });
    await sleep(30);
    expect(watch.lines).toHaveLength(4);
    expect(server.openWatches).toBe(1);
    expect(server.requests.at(-1)).toMatchObject({
      kind: 'watch',
      status: 200,
      query: { watch: '1' },
    });
  });

  it('without a resourceVersion (or with 0) starts with synthetic ADDED of the current objects', async () => {
    const server = await startServer();
    server.createEvent(ev('b'));
    server.createEvent(ev('a'));
    for (const query of ['watch=true', 'watch=1&resourceVersion=0']) {
      const watch = await WatchClient.open(server, `/api/v1/events?${query}`);
      await watch.until((w) => w.lines.length >= 2);
      expect(watch.lines.map((l) => [l.type, l.object.metadata.name])).toEqual([
        ['ADDED', 'a'],
        ['ADDED', 'b'],
      ]);
      expect(server.watches.at(-1)).toMatchObject({
        pending: 0,
        sentResourceVersion: server.resourceVersion,
      });
      watch.close();
    }
    const watch = await WatchClient.open(server, '/api/v1/events?watch=1');
    server.createEvent(ev('c'));
    await watch.until((w) => w.lines.length >= 3);
    expect(watch.lines[2]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'c' } } });
  });

  it('sends BOOKMARKs carrying the current resourceVersion only when asked', async () => {
    const server = await startServer({ bookmarkIntervalMs: 40 });
    server.createEvent(ev('a'));
    const rv = server.resourceVersion;
    const withMarks = await WatchClient.open(
      server,
      `/apis/events.k8s.io/v1/events?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true`,
    );
    const without = await WatchClient.open(server, `/api/v1/events?watch=1&resourceVersion=${rv}`);
    await withMarks.until((w) => w.lines.length >= 2, 1000, 'two bookmarks');
    expect(withMarks.lines[0]).toEqual({
      type: 'BOOKMARK',
      object: { kind: 'Event', apiVersion: 'events.k8s.io/v1', metadata: { resourceVersion: rv } },
    });
    server.createEvent(ev('b'));
    await withMarks.until((w) =>
      w.lines.some(
        (l) =>
          l.type === 'BOOKMARK' && l.object.metadata.resourceVersion === server.resourceVersion,
      ),
    );
    await without.until((w) => w.lines.length >= 1);
    expect(without.lines.map((l) => l.type)).toEqual(['ADDED']);
  });

  it('ends the response cleanly after timeoutSeconds', async () => {
    const server = await startServer();
    const started = Date.now();
    const watch = await WatchClient.open(server, '/api/v1/events?watch=1&timeoutSeconds=0.2');
    expect(server.openWatches).toBe(1);
    await watch.untilEnded(2000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
    expect(watch.error).toBeUndefined();
    expect(server.openWatches).toBe(0);
  });

  it('answers a resourceVersion older than the history with an ERROR 410 event', async () => {
    const server = await startServer({ historyLimit: 3, startResourceVersion: 10 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) server.createEvent(ev(name));
    // kept: 13, 14, 15 -> a watch from 12 is fine, from 11 is too old
    const ok = await WatchClient.open(server, '/api/v1/events?watch=1&resourceVersion=12');
    await ok.until((w) => w.lines.length >= 3);
    expect(ok.lines.map((l) => l.object.metadata.name)).toEqual(['c', 'd', 'e']);
    const old = await WatchClient.open(server, '/api/v1/events?watch=1&resourceVersion=11');
    expect(old.status).toBe(200);
    await old.untilEnded();
    expect(old.lines).toEqual([
      {
        type: 'ERROR',
        object: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: 'too old resource version: 11 (13)',
          reason: 'Expired',
          code: 410,
        },
      },
    ]);
  });

  it('applies fieldSelector and labelSelector, turning moves in and out into ADDED and DELETED', async () => {
    const server = await startServer();
    const warn = (name: string, labels: Record<string, string> = {}) =>
      buildEvent({
        metadata: { namespace: 'ns', name, labels },
        type: 'Warning',
        reason: 'BackOff',
      });
    const watch = await WatchClient.open(
      server,
      `/api/v1/events?watch=1&resourceVersion=${server.resourceVersion}&fieldSelector=${encodeURIComponent('type=Warning,involvedObject.kind==Pod')}&labelSelector=${encodeURIComponent('team=a,!skip')}`,
    );
    server.createEvent(warn('w1', { team: 'a' }));
    server.createEvent(warn('w2', { team: 'b' }));
    server.createEvent(warn('w3', { team: 'a', skip: 'yes' }));
    server.createEvent(
      buildEvent({ metadata: { namespace: 'ns', name: 'n1', labels: { team: 'a' } } }),
    );
    server.updateEvent('ns', 'n1', { type: 'Warning' }); // moves in
    server.updateEvent('ns', 'w1', { type: 'Normal' }); // moves out
    server.updateEvent('ns', 'n1', { message: 'still in' });
    await watch.until((w) => w.lines.length >= 4);
    await sleep(20);
    expect(watch.lines.map((l) => [l.type, l.object.metadata.name])).toEqual([
      ['ADDED', 'w1'],
      ['ADDED', 'n1'],
      ['DELETED', 'w1'],
      ['MODIFIED', 'n1'],
    ]);
  });

  it('expires Events after eventTtlMs with a DELETED watch event', async () => {
    const server = await startServer({ eventTtlMs: 150 });
    const watch = await WatchClient.open(server, '/api/v1/events?watch=1');
    server.createEvent(ev('short-lived'));
    await watch.until((w) => w.types.includes('DELETED'), 3000, 'DELETED');
    expect(watch.lines.map((l) => l.type)).toEqual(['ADDED', 'DELETED']);
    expect(server.listEvents()).toEqual([]);
  });

  it('expireEvents applies the TTL at a given time, counting from the last occurrence', async () => {
    const server = await startServer();
    server.createEvent(ev('old'));
    server.createEvent(ev('recurring'));
    const inAnHour = new Date(Date.now() + 3_600_000 + 5_000);
    server.recurEvent('ns', 'recurring', { at: new Date(Date.now() + 1_800_000) });
    expect(server.expireEvents(new Date())).toBe(0);
    expect(server.expireEvents(inAnHour)).toBe(1);
    expect(server.listEvents().map((e) => e.metadata?.name)).toEqual(['recurring']);
  });
});
