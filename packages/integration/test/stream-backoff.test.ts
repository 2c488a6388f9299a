import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EventStream,
  LineTooLongError,
  ListError,
  StreamConfigError,
} from '../../core/src/index.js';
import type { StreamPhase, StreamState } from '../../core/src/stream/state.js';
import type { RecordedStream } from './support/record-stream.js';
import { buildEvent, idOf, runStream, startServer, tempDir } from './support/stream-harness.js';

const pod = (name: string) => ({ kind: 'Pod', name, namespace: 'shop' });

/** Every 'backoff' state the stream enters from now on. */
function recordBackoffs(run: RecordedStream): StreamState[] {
  const backoffs: StreamState[] = [];
  run.stream.onState((state) => state.phase === 'backoff' && backoffs.push(state));
  return backoffs;
}

describe('EventStream backoff: a healthy watch ends the failure streak', () => {
  // Five failures in a row first (a cut, then four 500s), so a streak that is
  // not reset shows as attempt 6.
  async function afterFiveFailures(serverOptions = {}) {
    const server = await startServer(serverOptions);
    const run = await runStream(server, { backoff: { initialMs: 20, maxMs: 5000 } });
    await run.until(() => run.stream.state.phase === 'watching');
    const backoffs = recordBackoffs(run);
    server.faults.failRequests({ status: 500, kind: 'watch', times: 4 });
    server.faults.dropConnections();
    await run.until(() => run.stream.stats.watches === 2 && run.stream.state.phase === 'watching');
    expect(backoffs.map((state) => state.attempt)).toEqual([1, 2, 3, 4, 5]);
    return { server, run, backoffs };
  }

  it('reconnects at attempt 1 when a watch that delivered events then fails', async () => {
    const { server, run, backoffs } = await afterFiveFailures();
    const event = server.createEvent(buildEvent({ involvedObject: pod('flowing') }));
    await run.until(() => run.ids.includes(idOf(event)));
    server.faults.dropConnections();
    await run.until(() => backoffs.length === 6);
    expect(backoffs[5]?.attempt).toBe(1);
    expect(backoffs[5]?.retryInMs).toBeLessThanOrEqual(20);
    await run.until(() => run.stream.stats.watches === 3 && run.stream.state.phase === 'watching');
  });

  it('reconnects at attempt 1 when a quiet watch that stayed open 1 s then fails', async () => {
    // No bookmarks either (as Kubernetes 1.20 for events): only the time open counts.
    const { server, run, backoffs } = await afterFiveFailures({ bookmarkIntervalMs: 60_000 });
    const openedAt = Date.now();
    await run.until(() => Date.now() - openedAt >= 1100, 3000);
    server.faults.dropConnections();
    await run.until(() => backoffs.length === 6);
    expect(run.stream.stats.bookmarks).toBe(0);
    expect(backoffs[5]?.attempt).toBe(1);
  });

  it('keeps counting when each watch only brings a 410 ERROR line: that is no progress', async () => {
    const server = await startServer();
    const run = await runStream(server, { backoff: { initialMs: 20, maxMs: 2000 } });
    await run.until(() => run.stream.state.phase === 'watching');
    const backoffs = recordBackoffs(run);
    server.faults.force410({ via: 'event', times: 1000 });
    server.faults.dropConnections();
    await run.until(() => backoffs.length >= 5);
    expect(backoffs.slice(0, 5).map((state) => state.attempt)).toEqual([1, 2, 3, 4, 5]);
    server.faults.reset();
    await run.until(() => run.stream.state.phase === 'watching');
  });
});

describe('EventStream backoff: no stall watchdog while no watch is open', () => {
  it('stays in backoff, not stalled, when a failed watch request is followed by a backoff longer than stallTimeoutMs', async () => {
    const server = await startServer();
    // The first watch fails; its backoff (1200-2400 ms) outlasts the stall timeout (600 ms).
    server.faults.failRequests({ status: 500, kind: 'watch', times: 1 });
    const run = await runStream(server, {
      watchTimeoutSeconds: 0.5,
      stallTimeoutMs: 600,
      backoff: { initialMs: 2400, maxMs: 2400 },
    });
    const phases: StreamPhase[] = [];
    run.stream.onState((state) => phases.push(state.phase));
    await run.until(() => run.stream.stats.watches === 1, 4000);
    expect(run.stream.stats.stalls).toBe(0);
    expect(phases).not.toContain('stalled');
    expect(phases).toContain('backoff');
  });
});

describe('EventStream backoff: the errors it reports are exported by @keventer/core', () => {
  it('ListError and LineTooLongError in a backoff state, StreamConfigError from the iteration', async () => {
    const server = await startServer();
    server.faults.endlessContinueTokens();
    const run = await runStream(server, { maxListPages: 5, maxLineBytes: 1024 });
    await run.until(() => run.stream.state.phase === 'backoff');
    expect(run.stream.state.error).toBeInstanceOf(ListError);
    server.faults.reset();
    await run.until(() => run.stream.state.phase === 'watching');
    server.faults.sendEndlessLine();
    await run.until(() => run.stream.state.phase === 'backoff');
    expect(run.stream.state.error).toBeInstanceOf(LineTooLongError);

    const missing = join(await tempDir(), 'no-kubeconfig');
    const broken = new EventStream({ kubeConfig: missing });
    await expect(broken[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(StreamConfigError);
  });
});
