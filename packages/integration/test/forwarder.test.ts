import { FakeHttpReceiver } from '@keventer/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createForwarder } from '../../core/src/delivery/forwarder.js';
import { byType } from '../../core/src/filter/index.js';
import { MemoryCheckpointStore } from '../../core/src/stream/checkpoint.js';
import { EventStream } from '../../core/src/stream/event-stream.js';
import { httpSink } from './support/http-sink.js';
import { buildEvent, idOf, kubeconfigFor, startServer } from './support/stream-harness.js';
import { until } from './support/until.js';

const receivers: FakeHttpReceiver[] = [];
afterEach(async () => {
  for (const receiver of receivers.splice(0)) await receiver.close();
});
async function receiver(): Promise<FakeHttpReceiver> {
  const r = await FakeHttpReceiver.start({ status: 200 });
  receivers.push(r);
  return r;
}
const ids = (r: FakeHttpReceiver, from = 0) =>
  r.requests.slice(from).flatMap((request) => JSON.parse(request.body) as string[]);
const pod = (name: string) => ({ kind: 'Pod', namespace: 'shop', name });

describe('createForwarder', () => {
  it('refuses a stream that acknowledges by itself', async () => {
    const stream = new EventStream({ kubeConfig: 'unused' });
    expect(() => createForwarder({ stream, routes: [] })).toThrow(/ack: 'manual'/);
  });

  it('refuses two routes with the same name: metrics are labelled by it', () => {
    const stream = new EventStream({ kubeConfig: 'unused', ack: 'manual' });
    const sink = { name: 'webhook', write: async () => {} };
    expect(() => createForwarder({ stream, routes: [{ sink }, { sink }] })).toThrow(
      "[keventer] createForwarder: two routes are named 'webhook': give each route a distinct name (stats and metrics are labelled by it)",
    );
    expect(() =>
      createForwarder({ stream, routes: [{ sink }, { sink, name: 'webhook-2' }] }),
    ).not.toThrow();
  });

  it('delivers each occurrence to every route, and the checkpoint follows delivery', async () => {
    const server = await startServer();
    const checkpoint = new MemoryCheckpointStore();
    const stream = new EventStream({
      kubeConfig: await kubeconfigFor(server),
      ack: 'manual',
      checkpoint,
    });
    const [all, warnings] = [await receiver(), await receiver()];
    const forwarder = createForwarder({
      stream,
      routes: [
        { sink: httpSink('all', all), delivery: { batch: { maxEvents: 5, timeoutMs: 20 } } },
        {
          sink: httpSink('warnings', warnings),
          filter: byType('Warning'),
          delivery: { batch: { maxEvents: 1 } },
        },
      ],
    });
    const running = forwarder.run();
    await until(() => stream.state.phase === 'watching');
    const created = Array.from({ length: 12 }, (_, i) =>
      server.createEvent(
        buildEvent({ involvedObject: pod(`p${i}`), type: i % 3 === 0 ? 'Warning' : 'Normal' }),
      ),
    );
    await until(() => ids(all).length === 12 && ids(warnings).length === 4);
    forwarder.stop();
    const report = await running;
    expect(new Set(ids(all))).toEqual(new Set(created.map(idOf)));
    expect(ids(warnings)).toEqual(created.filter((_, i) => i % 3 === 0).map(idOf));
    expect(report.undelivered).toBe(0);
    expect(report.routes.warnings).toMatchObject({ received: 12, filtered: 8, sent: 4 });
    expect(checkpoint.checkpoint?.resourceVersion).toBe(server.resourceVersion);
  });

  it('after stop(), hands on nothing more of a read batch: the rest stays unacknowledged and a restart delivers it', async () => {
    const server = await startServer();
    const created = server.createEvents(
      Array.from({ length: 4 }, (_, i) => buildEvent({ involvedObject: pod(`p${i}`) })),
    );
    const kubeConfig = await kubeconfigFor(server);
    const checkpoint = new MemoryCheckpointStore();
    const delivery = { batch: { maxEvents: 10, timeoutMs: 10 } };
    const first = await receiver();
    // The list hands its 4 events over as one batch; stop() comes while the first is offered.
    const forwarder = createForwarder({
      stream: new EventStream({ kubeConfig, ack: 'manual', checkpoint, since: 'all' }),
      routes: [
        {
          sink: httpSink('first', first),
          filter: () => {
            forwarder.stop();
            return true;
          },
          delivery,
        },
      ],
    });
    const report = await forwarder.run();
    expect(report.routes.first).toMatchObject({ received: 1, sent: 1 });
    expect(ids(first)).toHaveLength(1);

    const second = await receiver();
    const restarted = createForwarder({
      // The default since ('now'): the checkpoint, before the list's end, says where it started.
      stream: new EventStream({ kubeConfig, ack: 'manual', checkpoint }),
      routes: [{ sink: httpSink('second', second), delivery }],
    });
    const running = restarted.run();
    await until(() => ids(second).length >= 3);
    restarted.stop();
    await running;
    expect(ids(second)).toHaveLength(3);
    expect(new Set([...ids(first), ...ids(second)])).toEqual(new Set(created.map(idOf)));
  });

  it('retries a failing sink and dead-letters a permanent failure, without holding up the other route', async () => {
    const server = await startServer();
    const stream = new EventStream({ kubeConfig: await kubeconfigFor(server), ack: 'manual' });
    const [flaky, broken] = [await receiver(), await receiver()];
    flaky.answerNext({ status: 503 }, { status: 503 });
    broken.defaultAnswer = { status: 400, body: '{"error":"mapping"}' };
    const deadLetters: string[] = [];
    const fast = { batch: { maxEvents: 10, timeoutMs: 10 }, request: { retryInitialBackoffMs: 5 } };
    const forwarder = createForwarder({
      stream,
      routes: [
        { name: 'flaky', sink: httpSink('flaky', flaky), delivery: fast },
        {
          name: 'broken',
          sink: httpSink('broken', broken),
          delivery: fast,
          onDeadLetter: (events, error) => {
            deadLetters.push(`${events.length}:${error.statusCode}`);
          },
        },
      ],
    });
    const running = forwarder.run();
    await until(() => stream.state.phase === 'watching');
    const event = server.createEvent(buildEvent({ involvedObject: pod('x') }));
    await until(() => flaky.requests.length === 3 && deadLetters.length === 1);
    forwarder.stop();
    const report = await running;
    expect(ids(flaky, 2)).toEqual([idOf(event)]); // the third attempt got through
    expect(broken.requests).toHaveLength(1); // a 400 is not retried
    expect(deadLetters).toEqual(['1:400']);
    expect(report.routes.broken).toMatchObject({ deadLettered: 1, sent: 0 });
    expect(report.undelivered).toBe(0);
  });

  it('a slow sink does not delay a fast one', async () => {
    const server = await startServer();
    const stream = new EventStream({ kubeConfig: await kubeconfigFor(server), ack: 'manual' });
    const fastReceiver = await receiver();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = { name: 'slow', write: () => gate };
    const forwarder = createForwarder({
      stream,
      routes: [
        { sink: slow, delivery: { batch: { maxEvents: 1 }, request: { timeoutMs: 60_000 } } },
        { sink: httpSink('fast', fastReceiver), delivery: { batch: { maxEvents: 1 } } },
      ],
    });
    const running = forwarder.run();
    await until(() => stream.state.phase === 'watching');
    for (let i = 0; i < 20; i++) server.createEvent(buildEvent({ involvedObject: pod(`s${i}`) }));
    await until(() => ids(fastReceiver).length === 20, 2000);
    expect(forwarder.routes[0]?.stats.sent).toBe(0);
    release();
    forwarder.stop();
    const report = await running;
    expect(report.routes.slow?.sent).toBe(20);
    expect(report.undelivered).toBe(0);
  });

  it('stopping flushes what is buffered; what cannot be delivered stays before the checkpoint', async () => {
    const server = await startServer();
    const checkpoint = new MemoryCheckpointStore();
    const stream = new EventStream({
      kubeConfig: await kubeconfigFor(server),
      ack: 'manual',
      checkpoint,
    });
    const ok = await receiver();
    const down = await receiver();
    down.defaultAnswer = { status: 503 };
    const forwarder = createForwarder({
      stream,
      drainTimeoutMs: 300,
      routes: [
        {
          name: 'ok',
          sink: httpSink('ok', ok),
          delivery: { batch: { maxEvents: 100, timeoutMs: 60_000 } },
        },
        {
          name: 'down',
          sink: httpSink('down', down),
          delivery: { request: { retryInitialBackoffMs: 10 } },
        },
      ],
    });
    const running = forwarder.run();
    await until(() => stream.state.phase === 'watching');
    const before = stream.checkpoint().resourceVersion;
    for (let i = 0; i < 5; i++) server.createEvent(buildEvent({ involvedObject: pod(`f${i}`) }));
    await until(() => stream.stats.emitted === 5);
    expect(ok.requests).toHaveLength(0); // held by the 60 s batch timeout
    forwarder.stop();
    const report = await running;
    expect(ids(ok)).toHaveLength(5); // flushed on stop
    expect(report.undelivered).toBe(5); // the 'down' route never delivered them
    expect(checkpoint.checkpoint?.resourceVersion).toBe(before);
  });

  it('closes every sink once after the drain, and a failing close is logged, not thrown', async () => {
    const server = await startServer();
    const stream = new EventStream({ kubeConfig: await kubeconfigFor(server), ack: 'manual' });
    const order: string[] = [];
    const errors: string[] = [];
    const sink = (name: string, fail = false) => ({
      name,
      async write() {
        order.push(`write ${name}`);
      },
      async close() {
        order.push(`close ${name}`);
        if (fail) throw new Error('close failed: password=hunter2');
      },
    });
    const forwarder = createForwarder({
      stream,
      logger: {
        debug() {},
        info() {},
        warn() {},
        error: (obj, msg) => errors.push(`${msg} ${JSON.stringify(obj)}`),
      },
      routes: [
        { sink: sink('a'), delivery: { batch: { timeoutMs: 60_000 } } },
        { sink: sink('b', true) },
      ],
    });
    const running = forwarder.run();
    await until(() => stream.state.phase === 'watching');
    server.createEvent(buildEvent({ involvedObject: pod('x') }));
    await until(() => order.includes('write b'));
    forwarder.stop();
    await running;
    expect(order.filter((o) => o.startsWith('close'))).toEqual(['close a', 'close b']);
    expect(order.indexOf('write a')).toBeLessThan(order.indexOf('close a')); // flushed first
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('closing the sink failed');
    expect(errors[0]).not.toContain('hunter2');
  });
});
