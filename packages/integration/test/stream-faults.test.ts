import { describe, expect, it } from 'vitest';
import type { Logger } from '../../core/src/logger.js';
import { MemoryCheckpointStore } from '../../core/src/stream/checkpoint.js';
import { EventStream } from '../../core/src/stream/event-stream.js';
import type { StreamState } from '../../core/src/stream/state.js';
import { recordStream } from './support/record-stream.js';
import {
  buildEvent,
  idOf,
  kubeconfigFor,
  runStream,
  startServer,
} from './support/stream-harness.js';

const pod = (name: string) => ({ kind: 'Pod', name, namespace: 'shop' });

/** A logger that keeps every call, as `level message {fields}`. */
function recordingLogger() {
  const lines: string[] = [];
  const log =
    (level: string) =>
    (obj: object | string, msg?: string): void => {
      lines.push(
        typeof obj === 'string' ? `${level} ${obj}` : `${level} ${msg} ${JSON.stringify(obj)}`,
      );
    };
  const logger: Logger = {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  };
  return { logger, lines };
}

describe('EventStream: watch lines', () => {
  it('treats a line that never ends as malformed once it passes maxLineBytes, logs its size, and reopens the watch', async () => {
    const server = await startServer();
    const { logger, lines } = recordingLogger();
    const run = await runStream(server, { maxLineBytes: 256 * 1024, logger });
    await run.until(() => run.stream.state.phase === 'watching');
    server.faults.sendEndlessLine();
    await run.until(() => run.stream.stats.malformedLines === 1 && run.stream.stats.watches >= 2);
    expect(lines.join('\n')).toMatch(
      /watching events failed: retrying .*more than 262144 bytes \(\d+ read without a newline\)/,
    );
    const after = server.createEvent(buildEvent({ involvedObject: pod('after') }));
    await run.until(() => run.ids.includes(idOf(after)));
  });

  it('accepts a long line within maxLineBytes', async () => {
    const server = await startServer();
    const run = await runStream(server, { maxLineBytes: 256 * 1024 });
    await run.until(() => run.stream.state.phase === 'watching');
    const message = 'é'.repeat(100_000); // 200 KB of two-byte characters
    server.createEvent(buildEvent({ involvedObject: pod('long'), message }));
    await run.until(() => run.events.length === 1);
    expect(run.events[0]?.message).toBe(message);
    expect(run.stream.stats.malformedLines).toBe(0);
  });

  it('stalls a watch that trickles bytes without completing a line', async () => {
    const server = await startServer();
    const run = await runStream(server, { watchTimeoutSeconds: 1, stallTimeoutMs: 1500 });
    await run.until(() => run.stream.state.phase === 'watching');
    server.faults.stallWatches(); // no events or bookmarks: only the trickle
    server.faults.trickleWatches({ intervalMs: 20 });
    await run.until(() => run.stream.stats.stalls >= 1, 5000);
    server.faults.reset();
    const after = server.createEvent(buildEvent({ involvedObject: pod('after') }));
    await run.until(() => run.ids.includes(idOf(after)));
  });

  it.each([
    ['an ADDED with a null object', '{"type":"ADDED","object":null}'],
    ['a MODIFIED without a uid', '{"type":"MODIFIED","object":{"metadata":{"name":"x"}}}'],
    ['a JSON array', '[1,2]'],
  ])('does not emit %s: it is malformed', async (_, line) => {
    const server = await startServer();
    const run = await runStream(server);
    await run.until(() => run.stream.state.phase === 'watching');
    const before = server.createEvent(buildEvent({ involvedObject: pod('before') }));
    await run.until(() => run.events.length === 1);
    server.faults.sendMalformedLine(line);
    await run.until(() => run.stream.stats.malformedLines === 1);
    const after = server.createEvent(buildEvent({ involvedObject: pod('after') }));
    await run.until(() => run.ids.includes(idOf(after)));
    expect(run.ids).toEqual([idOf(before), idOf(after)]);
    expect(run.events.every((event) => event.uid !== '')).toBe(true);
  });

  it('does not take a BOOKMARK resourceVersion that is not a string', async () => {
    const server = await startServer();
    const run = await runStream(server);
    await run.until(() => run.stream.state.phase === 'watching');
    server.faults.sendMalformedLine(
      '{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":{"rv":"9"}}}}',
    );
    await run.until(() => run.stream.stats.malformedLines === 1 && run.stream.stats.watches >= 2);
    const positions = server.requests
      .filter((r) => r.kind === 'watch')
      .map((r) => r.query.resourceVersion);
    expect(positions.every((rv) => /^\d+$/.test(rv ?? ''))).toBe(true);
  });
});

describe('EventStream: lists', () => {
  it('bounds a list page by maxListPageBytes: an endless body fails the list, which is retried', async () => {
    const server = await startServer();
    server.createEvent(buildEvent({ involvedObject: pod('stored') }));
    server.faults.endlessListBody();
    const { logger, lines } = recordingLogger();
    const run = await runStream(server, { since: 'all', maxListPageBytes: 1024 * 1024, logger });
    await run.until(() => run.events.length === 1 && run.stream.state.phase === 'watching');
    expect(run.stream.stats.errors).toBe(1);
    expect(run.stream.stats.retries).toBe(1);
    expect(lines.join('\n')).toMatch(
      /listing events failed: retrying .*larger than maxListPageBytes \(1048576 bytes\): lower pageSize/,
    );
  });

  it('bounds paging: endless continue tokens fail the list after maxListPages, with a backoff', async () => {
    const server = await startServer();
    server.faults.endlessContinueTokens();
    const { logger, lines } = recordingLogger();
    const run = await runStream(server, { maxListPages: 20, logger });
    await run.until(() => run.stream.stats.retries >= 2);
    const lists = server.requests.filter((r) => r.kind === 'list').length;
    expect(lists).toBeLessThanOrEqual(20 * 3);
    expect(lines.join('\n')).toMatch(
      /listing events failed: retrying .*did not end after 20 pages/,
    );
    server.faults.reset();
    await run.until(() => run.stream.state.phase === 'watching');
  });

  it('backs off between relists when 410s repeat', async () => {
    const server = await startServer();
    const run = await runStream(server, { backoff: { initialMs: 20, maxMs: 2000 } });
    await run.until(() => run.stream.state.phase === 'watching');
    const backoffs: StreamState[] = [];
    run.stream.onState((state) => state.phase === 'backoff' && backoffs.push(state));
    server.faults.force410({ via: 'http', times: 1000 });
    server.faults.dropConnections();
    await run.until(() => run.stream.stats.relists >= 5);
    expect(backoffs.slice(0, 5).map((state) => state.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(run.stream.stats.retries).toBeGreaterThanOrEqual(run.stream.stats.relists);
    // Each wait is at least half its ceiling: 20 * 2^(n-1) / 2 ms.
    expect(backoffs[4]?.retryInMs).toBeGreaterThanOrEqual(160);
    server.faults.reset();
    await run.until(() => run.stream.state.phase === 'watching', 5000);
  });

  it('keeps since after a 410 in the middle of the first list (a continue token expired)', async () => {
    const server = await startServer();
    const hoursAgo = new Date(Date.now() - 3 * 3_600_000).toISOString();
    // Keys sort by name: the recent events fill page 1, the old ones follow.
    const recent = ['a1', 'a2', 'a3'].map((name) =>
      server.createEvent(buildEvent({ metadata: { name }, involvedObject: pod(name) })),
    );
    for (const name of ['b1', 'b2', 'b3']) {
      server.createEvent(
        buildEvent({
          metadata: { name },
          involvedObject: pod(name),
          firstTimestamp: hoursAgo,
          lastTimestamp: hoursAgo,
        }),
      );
    }
    server.faults.expireContinueTokens();
    const run = await runStream(server, { since: '10m', pageSize: 2 });
    await run.until(() => run.stream.state.phase === 'watching');
    expect(run.stream.stats.relists).toBe(1);
    expect([...run.ids].sort()).toEqual(recent.map(idOf).sort());
  });

  it('keeps since when it restarts from a checkpoint saved before the first list completed', async () => {
    const server = await startServer();
    const hoursAgo = new Date(Date.now() - 3 * 3_600_000).toISOString();
    const recent = ['a1', 'a2', 'a3'].map((name) =>
      server.createEvent(buildEvent({ metadata: { name }, involvedObject: pod(name) })),
    );
    server.createEvent(
      buildEvent({
        metadata: { name: 'b1' },
        involvedObject: pod('b1'),
        firstTimestamp: hoursAgo,
        lastTimestamp: hoursAgo,
      }),
    );
    const store = new MemoryCheckpointStore();
    const kubeConfig = await kubeconfigFor(server);
    const first = new EventStream({ kubeConfig, since: '10m', pageSize: 2, checkpoint: store });
    const iterator = first[Symbol.asyncIterator]();
    await iterator.next(); // one event of page 1; page 2 not asked for yet
    await iterator.return?.();
    expect(store.checkpoint).toMatchObject({ resourceVersion: '', listCutoff: expect.any(String) });

    // Restarted with since: 'all', the checkpoint's start point still rules.
    const second = recordStream(new EventStream({ kubeConfig, since: 'all', checkpoint: store }));
    await second.until(() => second.stream.state.phase === 'watching');
    await second.stop();
    expect([...second.ids].sort()).toEqual(recent.map(idOf).sort());
  });
});

describe('EventStream: stopping and logs', () => {
  it('does not start with an already aborted signal', async () => {
    const server = await startServer();
    const stream = new EventStream({
      kubeConfig: await kubeconfigFor(server),
      signal: AbortSignal.abort(),
    });
    const result = await stream[Symbol.asyncIterator]().next();
    expect(result.done).toBe(true);
    expect(stream.state.phase).toBe('stopped');
    expect(server.requests).toEqual([]);
  });

  it('says which step failed: a list, a watch, a list that timed out', async () => {
    const server = await startServer();
    const { logger, lines } = recordingLogger();
    server.faults.failRequests({ status: 500, kind: 'list' });
    server.faults.failRequests({ status: 503, kind: 'watch' });
    const run = await runStream(server, { logger, requestTimeoutMs: 300 });
    await run.until(() => run.stream.state.phase === 'watching');
    const log = lines.join('\n');
    expect(log).toMatch(
      /listing events failed: retrying \{"step":"list","err":"GET \/api\/v1\/events answered 500/,
    );
    expect(log).toMatch(
      /watching events failed: retrying \{"step":"watch","err":"GET \/api\/v1\/events answered 503/,
    );

    // A list that never completes: the timeout is named, not just "aborted".
    server.faults.endlessListBody({ intervalMs: 10 });
    server.faults.force410({ via: 'http' });
    server.faults.dropConnections();
    await run.until(() => /did not complete within 300 ms/.test(lines.join('\n')), 5000);
    expect(lines.join('\n')).toMatch(
      /listing events failed: retrying \{"step":"list","err":"GET \/api\/v1\/events did not complete within 300 ms"/,
    );
  });
});
