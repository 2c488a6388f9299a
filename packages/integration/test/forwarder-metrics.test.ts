import { FakeHttpReceiver } from '@keventer/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createForwarder } from '../../core/src/delivery/forwarder.js';
import { EventStream } from '../../core/src/stream/event-stream.js';
import { httpSink } from './support/http-sink.js';
import { gate, recordingSink } from './support/recording-sink.js';
import { buildEvent, kubeconfigFor, startServer } from './support/stream-harness.js';
import { until } from './support/until.js';

const receivers: FakeHttpReceiver[] = [];
afterEach(async () => {
  for (const receiver of receivers.splice(0)) await receiver.close();
});
const pod = (name: string) => ({ kind: 'Pod', namespace: 'shop', name });

describe('forwarder: metrics', () => {
  it('counts retries, failures by reason, send durations and lag per route, labelled only by route and sink', async () => {
    const server = await startServer();
    const stream = new EventStream({ kubeConfig: await kubeconfigFor(server), ack: 'manual' });
    const flaky = await FakeHttpReceiver.start({ status: 200 });
    const broken = await FakeHttpReceiver.start({ status: 400, body: '{"error":"mapping"}' });
    receivers.push(flaky, broken);
    flaky.answerNext({ status: 503 }, { status: 503 });
    const fast = { batch: { maxEvents: 10, timeoutMs: 10 }, request: { retryInitialBackoffMs: 5 } };
    const forwarder = createForwarder({
      stream,
      routes: [
        { name: 'flaky', sink: httpSink('webhook', flaky), delivery: fast },
        { name: 'broken', sink: httpSink('webhook', broken), delivery: fast },
      ],
    });
    const running = forwarder.run();
    await until(() => stream.state.phase === 'watching');
    server.createEvent(buildEvent({ involvedObject: pod('a') }));
    server.createEvent(buildEvent({ involvedObject: pod('b') }));
    await until(() => forwarder.metrics().routes.every((r) => r.sent + r.deadLettered === 2));
    const [ok, bad] = forwarder.metrics().routes;
    expect(ok).toMatchObject({
      route: 'flaky',
      sink: 'webhook',
      received: 2,
      enqueued: 2,
      sent: 2,
      retries: 2,
      failedBy: { permanent: 0, retries_exhausted: 0, deadline: 0 },
      queueDepth: 0,
      inFlight: 0,
      failingForMs: 0,
    });
    expect(ok?.sendDuration.count).toBe(3); // two failed attempts and the good one
    expect(ok?.lag.count).toBe(2);
    expect(ok?.lag.counts.reduce((a, b) => a + b, 0)).toBe(2);
    expect(bad).toMatchObject({ route: 'broken', sent: 0, retries: 0, deadLettered: 2 });
    expect(bad?.failedBy.permanent).toBe(2);
    expect(forwarder.metrics().stream).toMatchObject({
      phase: 'watching',
      ready: true,
      emitted: 2,
    });
    forwarder.stop();
    await running;
  });

  it("'block' keeps memory bounded end to end: a stuck sink stops the reading, and nothing is lost", async () => {
    // History for every change, so the stuck watch is not ended as too slow (410); a
    // relist would read one 500-event page at a time, a bound of its own.
    const server = await startServer({ historyLimit: 10_000 });
    const stream = new EventStream({ kubeConfig: await kubeconfigFor(server), ack: 'manual' });
    const stuck = gate();
    const sink = recordingSink('stuck', stuck.promise);
    const forwarder = createForwarder({
      stream,
      routes: [
        {
          sink,
          delivery: {
            batch: { maxEvents: 10, timeoutMs: 5 },
            buffer: { maxEvents: 100, whenFull: 'block' },
            request: { timeoutMs: 120_000 },
          },
        },
      ],
    });
    const running = forwarder.run();
    await until(() => stream.state.phase === 'watching');
    const total = 5000;
    const padding = 'x'.repeat(2000); // 10 MB of events in all
    server.createEvents(
      Array.from({ length: total }, (_, i) =>
        buildEvent({ involvedObject: pod(`p${i}`), message: `${i} ${padding}` }),
      ),
    );
    await until(() => forwarder.routes[0]?.metrics().queueDepth === 100);
    const plateau = stream.stats.emitted;
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Read: one batch in flight, a full buffer and the stream's small parse-ahead (at
    // most two batches of 32 events); the rest waits in the stream's 1 MiB read-ahead,
    // then in TCP and on the server.
    expect(stream.stats.emitted).toBe(plateau);
    expect(plateau).toBeLessThanOrEqual(100 + 10 + 2 * 32);
    // A full buffer and the batch in flight: up to 10, fewer when the 5 ms batch timeout
    // fired first (a loaded machine: 109 was seen).
    expect(forwarder.metrics().unacknowledged).toBeGreaterThan(100);
    expect(forwarder.metrics().unacknowledged).toBeLessThanOrEqual(plateau);
    stuck.open();
    await until(() => sink.seen.length === total, 20_000);
    forwarder.stop();
    const report = await running;
    expect(new Set(sink.seen.map((s) => (s.kind === 'event' ? s.uid : ''))).size).toBe(total);
    expect(report).toMatchObject({
      undelivered: 0,
      routes: { stuck: { sent: total, dropped: 0 } },
    });
  });
});
