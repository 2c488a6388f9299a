import { describe, expect, it } from 'vitest';
import { buildEvent, type FakeKubeApiServer } from '../src/index.js';
import { sleep, startServer, WatchClient } from './helpers.js';

const bulky = (i: number) =>
  buildEvent({
    metadata: { namespace: 'ns', name: `e${String(i).padStart(5, '0')}` },
    message: 'x'.repeat(4500),
  });

/**
 * Creates bulky events in batches until a (paused) watch is blocked with at
 * least `minPending` changes waiting: more than the kernel's socket buffers
 * take, whatever their size on this machine.
 */
async function fillUntilBlocked(server: FakeKubeApiServer, minPending: number): Promise<number> {
  let created = 0;
  for (;;) {
    for (let i = 0; i < 200; i++) server.createEvent(bulky(created++));
    await sleep(20); // the socket drains into the kernel meanwhile
    if (server.watches.some((w) => w.waitingForDrain && w.pending >= minPending)) return created;
    if (created >= 20_000) throw new Error('the server never stopped writing');
  }
}

describe('backpressure', () => {
  it('a client that does not read makes the server pause at its cursor, not buffer', async () => {
    const server = await startServer({ historyLimit: 20_000 });
    const watch = await WatchClient.open(
      server,
      `/api/v1/events?watch=1&resourceVersion=${server.resourceVersion}`,
      {
        paused: true,
      },
    );
    const total = await fillUntilBlocked(server, 200);
    const [info] = server.watches;
    expect(info?.waitingForDrain).toBe(true);
    // One write batch, not a queue: the server writes up to 64 KiB of lines at a time,
    // and the line that passes that bound (a bulky one is under 5 KiB) goes with them.
    expect(info?.bufferedBytes).toBeLessThan(64 * 1024 + 8 * 1024);
    expect(info?.pending).toBeGreaterThan(0); // the rest waits in the shared history
    let flushed = false;
    const done = server.flushed().then(() => {
      flushed = true;
    });
    await sleep(20);
    expect(flushed).toBe(false);

    watch.resume();
    await done;
    await watch.until((w) => w.lines.length === total, 5000, `${total} lines`);
    const expected = Array.from(
      { length: total },
      (_, i) => `ADDED e${String(i).padStart(5, '0')}`,
    );
    expect(watch.lines.map((l) => `${l.type} ${l.object.metadata.name}`)).toEqual(expected);
    expect(server.watches[0]?.pending).toBe(0);
  });

  it('a watcher that falls behind the history gets ERROR 410 and is closed', async () => {
    const server = await startServer({ historyLimit: 100 });
    const watch = await WatchClient.open(
      server,
      `/api/v1/events?watch=1&resourceVersion=${server.resourceVersion}`,
      {
        paused: true,
      },
    );
    // One burst larger than the history: the watch blocks after one socket buffer and
    // its cursor is overtaken before the client reads again.
    const total = 300;
    for (let i = 0; i < total; i++) server.createEvent(bulky(i));
    watch.resume();
    await watch.untilEnded(3000);
    const last = watch.lines.at(-1);
    expect(last).toMatchObject({ type: 'ERROR', object: { code: 410, reason: 'Expired' } });
    expect(watch.lines.length).toBeLessThan(total);
    expect(server.openWatches).toBe(0);
  });

  it('flushed() paces a producer to the reader: no 410 even with a small history', async () => {
    const server = await startServer({ historyLimit: 250 });
    server.createEvent(bulky(0));
    await server.flushed(); // no watches: resolves at once
    const watch = await WatchClient.open(server, '/api/v1/events?watch=1');
    const total = 2_000;
    for (let i = 1; i < total; i++) {
      server.createEvent(buildEvent({ metadata: { namespace: 'ns', name: `s${i}` } }));
      if (i % 200 === 0) await server.flushed();
    }
    await server.flushed();
    await watch.until((w) => w.lines.length === total, 5000, `${total} lines`);
    expect(watch.types.every((t) => t === 'ADDED')).toBe(true);
  });

  it('close() with open, stalled and unread watches does not hang', async () => {
    const server = await startServer({ bookmarkIntervalMs: 10 });
    const reading = await WatchClient.open(
      server,
      '/api/v1/events?watch=1&allowWatchBookmarks=true',
    );
    const unread = await WatchClient.open(server, '/api/v1/events?watch=1', { paused: true });
    await fillUntilBlocked(server, 100);
    server.faults.stallWatches();
    const stalled = await WatchClient.open(server, '/apis/events.k8s.io/v1/events?watch=1');
    const started = Date.now();
    await server.close();
    await server.close(); // twice is fine
    expect(Date.now() - started).toBeLessThan(1000);
    await reading.untilEnded();
    await stalled.untilEnded();
    expect(unread.status).toBe(200);
    expect(server.openWatches).toBe(0);
    await expect(fetch(`${server.url}/api/v1/events`)).rejects.toThrow();
  });
});
