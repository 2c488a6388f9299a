import { describe, expect, it } from 'vitest';
import { FileCheckpointStore, MemoryCheckpointStore } from '../../core/src/stream/checkpoint.js';
import type { StreamPhase } from '../../core/src/stream/state.js';
import {
  buildEvent,
  idOf,
  repeated,
  runStream,
  startServer,
  tempDir,
} from './support/stream-harness.js';

const pod = (name: string, namespace = 'shop') => ({ kind: 'Pod', name, namespace });

describe('EventStream', () => {
  it("since 'now' emits only occurrences after start, each once", async () => {
    const server = await startServer();
    server.createEvent(buildEvent({ involvedObject: pod('old') }));
    const run = await runStream(server);
    await run.until(() => run.stream.stats.ready && run.stream.state.phase === 'watching');

    const created = server.createEvent(
      buildEvent({ involvedObject: pod('web-1'), reason: 'BackOff', type: 'Warning' }),
    );
    const ns = created.metadata?.namespace ?? '';
    const name = created.metadata?.name ?? '';
    const expected = [idOf(created)];
    expected.push(idOf(server.recurEvent(ns, name, { at: new Date(Date.now() + 1000) })));
    server.updateEvent(ns, name, (e) => {
      e.metadata = { ...e.metadata, labels: { touched: 'yes' } }; // a MODIFIED that is no new occurrence
    });
    expected.push(idOf(server.recurEvent(ns, name, { at: new Date(Date.now() + 2000) })));

    await run.until(() => run.ids.length >= 3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(run.ids).toEqual(expected);
    expect(run.stream.stats.repeats).toBe(1);
    expect(run.stream.stats.skipped).toBe(1);
  });

  it("since 'all' lists everything stored, page by page", async () => {
    const server = await startServer();
    const stored = Array.from({ length: 7 }, (_, i) =>
      server.createEvent(buildEvent({ involvedObject: pod(`p${i}`) })),
    );
    const run = await runStream(server, { since: 'all', pageSize: 3 });
    await run.until(() => run.ids.length === 7);
    expect(new Set(run.ids)).toEqual(new Set(stored.map(idOf)));
    expect(run.stream.stats.listPages).toBe(3);
  });

  it('since a duration emits only recent occurrences', async () => {
    const server = await startServer();
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    server.createEvent(
      buildEvent({ involvedObject: pod('old'), firstTimestamp: hourAgo, lastTimestamp: hourAgo }),
    );
    const recent = server.createEvent(buildEvent({ involvedObject: pod('new') }));
    const run = await runStream(server, { since: '10m' });
    await run.until(() => run.stream.state.phase === 'watching');
    expect(run.ids).toEqual([idOf(recent)]);
  });

  it('reads events.k8s.io/v1 with the same results', async () => {
    const server = await startServer();
    const run = await runStream(server, { apiGroup: 'events.k8s.io/v1' });
    await run.until(() => run.stream.state.phase === 'watching');
    const created = server.createEvent(
      buildEvent({ involvedObject: pod('web-2'), message: 'probe failed' }),
    );
    await run.until(() => run.events.length === 1);
    expect(run.events[0]).toMatchObject({
      apiGroup: 'events.k8s.io/v1',
      message: 'probe failed',
      uid: created.metadata?.uid,
    });
  });

  it('passes namespace and selectors to the server', async () => {
    const server = await startServer();
    const run = await runStream(server, { namespace: 'shop', fieldSelector: 'type=Warning' });
    await run.until(() => run.stream.state.phase === 'watching');
    server.createEvent(buildEvent({ involvedObject: pod('a', 'other'), type: 'Warning' }));
    server.createEvent(buildEvent({ involvedObject: pod('b'), type: 'Normal' }));
    const wanted = server.createEvent(buildEvent({ involvedObject: pod('c'), type: 'Warning' }));
    await run.until(() => run.ids.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(run.ids).toEqual([idOf(wanted)]);
    const watch = server.requests.find((r) => r.kind === 'watch');
    expect(watch?.path).toBe('/api/v1/namespaces/shop/events');
    expect(watch?.query).toMatchObject({
      fieldSelector: 'type=Warning',
      allowWatchBookmarks: 'true',
    });
  });
});

describe('EventStream under faults: nothing lost, nothing repeated', () => {
  async function churn(
    server: Awaited<ReturnType<typeof startServer>>,
    expected: string[],
    n: number,
    tag: string,
  ) {
    for (let i = 0; i < n; i++) {
      const created = server.createEvent(buildEvent({ involvedObject: pod(`${tag}-${i}`) }));
      expected.push(idOf(created));
      if (i % 2 === 0) {
        const { namespace = '', name = '' } = created.metadata ?? {};
        expected.push(
          idOf(server.recurEvent(namespace, name, { at: new Date(Date.now() + 1000 + i) })),
        );
      }
    }
  }

  async function expectExactly(run: Awaited<ReturnType<typeof runStream>>, expected: string[]) {
    await run.until(() => run.ids.length >= expected.length);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(repeated(run.ids)).toEqual([]);
    expect(new Set(run.ids)).toEqual(new Set(expected));
    expect(run.ids.length).toBe(expected.length);
  }

  it('survives dropped connections', async () => {
    const server = await startServer();
    const run = await runStream(server);
    await run.until(() => run.stream.state.phase === 'watching');
    const expected: string[] = [];
    await churn(server, expected, 5, 'a');
    await run.until(() => run.ids.length === expected.length);
    server.faults.dropConnections();
    await churn(server, expected, 5, 'b');
    server.faults.dropConnections();
    await churn(server, expected, 5, 'c');
    await expectExactly(run, expected);
    expect(run.stream.stats.reconnects).toBeGreaterThanOrEqual(1);
  });

  it('reconnects a stalled watch', async () => {
    const server = await startServer();
    const run = await runStream(server, { watchTimeoutSeconds: 1, stallTimeoutMs: 1500 });
    await run.until(() => run.stream.state.phase === 'watching');
    const phases: StreamPhase[] = [];
    run.stream.onState((state) => phases.push(state.phase));
    server.faults.stallWatches();
    const expected: string[] = [];
    await churn(server, expected, 4, 's');
    await run.until(() => run.stream.stats.stalls >= 1, 5000);
    server.faults.resumeWatches();
    await expectExactly(run, expected);
    expect(phases).toContain('stalled');
  });

  it.each(['http', 'event'] as const)(
    'relists after a 410 sent as %s, emitting only new occurrences',
    async (via) => {
      const server = await startServer();
      const before = server.createEvent(buildEvent({ involvedObject: pod('before') }));
      const run = await runStream(server, { since: 'all' });
      await run.until(() => run.ids.length === 1);
      const expected = [idOf(before)];
      server.faults.force410({ via, times: 1 });
      server.faults.dropConnections();
      await churn(server, [], 6, via);
      // What changed while the watch was gone is known only by its latest state:
      // an object that recurred in the gap is emitted once, with its full count.
      expected.push(
        ...server
          .listEvents()
          .filter((e) => e.metadata?.uid !== before.metadata?.uid)
          .map(idOf),
      );
      await expectExactly(run, expected);
      expect(run.stream.stats.relists).toBe(1);
    },
  );

  it('relists when its position falls out of the server history', async () => {
    const server = await startServer({ historyLimit: 5 });
    const run = await runStream(server);
    await run.until(() => run.stream.state.phase === 'watching');
    server.faults.stallWatches();
    server.faults.dropConnections();
    await churn(server, [], 10, 'h');
    const expected = server.listEvents().map(idOf);
    server.faults.resumeWatches();
    await expectExactly(run, expected);
    expect(run.stream.stats.relists).toBeGreaterThanOrEqual(1);
  });

  it.each([500, 429] as const)('backs off on %i and recovers', async (status) => {
    const server = await startServer();
    const run = await runStream(server);
    await run.until(() => run.stream.state.phase === 'watching');
    const backoffs: number[] = [];
    run.stream.onState((state) => {
      const error = state.error as { statusCode?: number } | undefined;
      if (state.phase === 'backoff' && error?.statusCode === status)
        backoffs.push(state.retryInMs ?? 0);
    });
    server.faults.failRequests({
      status,
      times: 3,
      kind: 'watch',
      retryAfterSeconds: status === 429 ? 1 : undefined,
    });
    server.faults.dropConnections();
    const expected: string[] = [];
    await churn(server, expected, 3, 'f');
    await expectExactly(run, expected);
    expect(backoffs.length).toBeGreaterThanOrEqual(3);
    if (status === 429) expect(Math.min(...backoffs)).toBeGreaterThanOrEqual(1000);
  });

  it('skips past a malformed line without losing the events around it', async () => {
    const server = await startServer();
    const run = await runStream(server);
    await run.until(() => run.stream.state.phase === 'watching');
    const expected: string[] = [];
    await churn(server, expected, 2, 'm1');
    server.faults.sendMalformedLine();
    await churn(server, expected, 2, 'm2');
    await expectExactly(run, expected);
    expect(run.stream.stats.malformedLines).toBe(1);
  });

  it('reports 401 clearly and keeps retrying', async () => {
    const server = await startServer();
    const messages: string[] = [];
    const logger = {
      debug() {},
      info() {},
      warn() {},
      error: (_: unknown, msg?: string) => messages.push(msg ?? ''),
    };
    server.faults.failRequests({ status: 401, times: 2, kind: 'any' });
    const run = await runStream(server, { logger });
    await run.until(() => run.stream.state.phase === 'watching');
    expect(messages[0]).toMatch(/not allowed to list\/watch events \(401\).*RBAC/);
  });
});

describe('EventStream checkpoints', () => {
  it('resumes after a restart without repeating or losing occurrences', async () => {
    const server = await startServer();
    const store = new FileCheckpointStore(`${await tempDir()}/checkpoint.json`);
    const first = await runStream(server, { checkpoint: store });
    await first.until(() => first.stream.state.phase === 'watching');
    const created = server.createEvent(buildEvent({ involvedObject: pod('x') }));
    await first.until(() => first.ids.length === 1);
    first.stream.stop();
    await first.done;

    // While stopped: a recurrence of a known event and a new event.
    const { namespace = '', name = '' } = created.metadata ?? {};
    const expected = [
      idOf(server.recurEvent(namespace, name, { at: new Date(Date.now() + 5000) })),
      idOf(server.createEvent(buildEvent({ involvedObject: pod('y') }))),
    ];
    const second = await runStream(server, { checkpoint: store });
    await second.until(() => second.ids.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(second.ids).toEqual(expected);
  });

  it('resumes through a relist when the saved position is too old', async () => {
    const server = await startServer({ historyLimit: 3 });
    const store = new MemoryCheckpointStore();
    const seenBefore = Array.from({ length: 3 }, (_, i) =>
      server.createEvent(buildEvent({ involvedObject: pod(`s${i}`) })),
    );
    const first = await runStream(server, { checkpoint: store, since: 'all' });
    await first.until(() => first.ids.length === 3);
    first.stream.stop();
    await first.done;
    expect(new Set(first.ids)).toEqual(new Set(seenBefore.map(idOf)));

    const expected = Array.from({ length: 6 }, (_, i) =>
      idOf(server.createEvent(buildEvent({ involvedObject: pod(`n${i}`) }))),
    );
    const second = await runStream(server, { checkpoint: store });
    await second.until(() => second.ids.length >= 6);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(new Set(second.ids)).toEqual(new Set(expected));
    expect(second.ids.length).toBe(6);
    expect(second.stream.stats.relists).toBe(1);
  });

  it('with manual acks, the checkpoint stays before the first unhandled event', async () => {
    const server = await startServer();
    const store = new MemoryCheckpointStore();
    const run = await runStream(server, { checkpoint: store, ack: 'manual' });
    await run.until(() => run.stream.state.phase === 'watching');
    const start = run.stream.checkpoint().resourceVersion;
    server.createEvent(buildEvent({ involvedObject: pod('a') }));
    server.createEvent(buildEvent({ involvedObject: pod('b') }));
    await run.until(() => run.events.length === 2);
    const [a, b] = run.events;
    expect(run.stream.checkpoint().resourceVersion).toBe(start);
    run.stream.ack(b!); // out of order: a is still in flight
    expect(run.stream.checkpoint().resourceVersion).toBe(start);
    expect(run.stream.checkpoint().seen.map(([uid]) => uid)).toContain(b!.uid);
    expect(run.stream.checkpoint().seen.map(([uid]) => uid)).not.toContain(a!.uid);
    run.stream.ack(a!);
    expect(run.stream.checkpoint().resourceVersion).toBe(b!.resourceVersion);
  });
});

describe('EventStream flow control', () => {
  it('does not read ahead of a slow consumer', async () => {
    const server = await startServer({ historyLimit: 50_000 });
    const { EventStream } = await import('../../core/src/stream/event-stream.js');
    const { kubeconfigFor } = await import('./support/stream-harness.js');
    const stream = new EventStream({ kubeConfig: await kubeconfigFor(server) });
    const iterator = stream[Symbol.asyncIterator]();
    const message = 'x'.repeat(2000);
    const pending = iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 200));
    server.createEvents(
      Array.from({ length: 20_000 }, (_, i) =>
        buildEvent({ involvedObject: pod(`bp-${i}`), message }),
      ),
    );
    await pending;
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Only what fits in the socket buffers was read; the server holds the rest.
    expect(stream.stats.received).toBeLessThan(1000);
    let flushed = false;
    void server.flushed().then(() => {
      flushed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(flushed).toBe(false);
    stream.stop();
    await iterator.return?.();
    expect(stream.state.phase).toBe('stopped');
  });

  it('validates its options, naming the bad value', () => {
    return import('../../core/src/stream/event-stream.js').then(({ EventStream }) => {
      expect(() => new EventStream({ pageSize: 0 })).toThrow(
        /pageSize: expected a positive integer \(got 0\)/,
      );
      expect(() => new EventStream({ since: 'yesterday' })).toThrow(/invalid since 'yesterday'/);
      expect(() => new EventStream({ watchTimeoutSeconds: 120, stallTimeoutMs: 60_000 })).toThrow(
        /stallTimeoutMs/,
      );
      expect(() => new EventStream({ apiGroup: 'apps/v1' as never })).toThrow(/apps\/v1/);
    });
  });
});
