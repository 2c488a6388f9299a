import { describe, expect, it } from 'vitest';
import { createForwarder } from '../../core/src/delivery/forwarder.js';
import type { Logger } from '../../core/src/logger.js';
import { MemoryCheckpointStore } from '../../core/src/stream/checkpoint.js';
import { EventStream } from '../../core/src/stream/event-stream.js';
import { gate, recordingSink } from './support/recording-sink.js';
import { buildEvent, kubeconfigFor, startServer } from './support/stream-harness.js';
import { until } from './support/until.js';

const replicas = ['web-7d4b9c8f6d-x2x9k', 'web-7d4b9c8f6d-b7kq2', 'web-7d4b9c8f6d-zz4mp'];

describe('forwarder: noise control', () => {
  it('a crash-looping Deployment is one message and one digest in the chat route; the data route gets every occurrence', async () => {
    const server = await startServer();
    const checkpoint = new MemoryCheckpointStore();
    const stream = new EventStream({
      kubeConfig: await kubeconfigFor(server),
      ack: 'manual',
      checkpoint,
    });
    const chat = recordingSink('chat');
    const data = recordingSink('data');
    const forwarder = createForwarder({
      stream,
      routes: [
        {
          sink: chat,
          delivery: { batch: { maxEvents: 1 }, aggregate: { windowMs: 1500 } },
        },
        { sink: data, delivery: { batch: { maxEvents: 50, timeoutMs: 10 } } },
      ],
    });
    const running = forwarder.run();
    await until(() => stream.state.phase === 'watching');
    const rvs: string[] = [];
    for (const pod of replicas) {
      const name = `${pod}.backoff`;
      const created = server.createEvent(
        buildEvent({
          metadata: { name, namespace: 'shop' },
          reason: 'BackOff',
          type: 'Warning',
          involvedObject: { kind: 'Pod', namespace: 'shop', name: pod },
        }),
      );
      rvs.push(created.metadata?.resourceVersion ?? '');
      for (let i = 0; i < 3; i++) server.recurEvent('shop', name);
    }
    await until(() => data.seen.length === 12);
    const chatRoute = forwarder.routes[0];
    await until(() => chatRoute?.metrics().held === 11);
    expect(chat.seen).toEqual([{ kind: 'event', uid: expect.any(String), count: 1 }]);
    // Occurrences held in the window are not acknowledged: the checkpoint stays at the
    // first occurrence (the one sent) until the digest is delivered.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(checkpoint.checkpoint?.resourceVersion).toBe(rvs[0]);
    expect(forwarder.metrics().unacknowledged).toBe(11);

    await until(() => chat.seen.length === 2, 3000);
    expect(chat.seen[1]).toEqual({
      kind: 'digest',
      count: 11,
      objects: replicas.map((pod) => `Pod shop/${pod}`),
    });
    await until(() => checkpoint.checkpoint?.resourceVersion === server.resourceVersion);
    forwarder.stop();
    const report = await running;
    expect(report.undelivered).toBe(0);
    expect(report.routes.chat).toMatchObject({ received: 12, aggregated: 11, sent: 12 });
    expect(report.routes.data).toMatchObject({ received: 12, aggregated: 0, sent: 12 });
    expect(forwarder.metrics().routes[0]).toMatchObject({ digests: 1, held: 0 });
  });

  it('stopping sends the open windows as digests', async () => {
    const server = await startServer();
    const stream = new EventStream({ kubeConfig: await kubeconfigFor(server), ack: 'manual' });
    const chat = recordingSink('chat');
    const forwarder = createForwarder({
      stream,
      routes: [{ sink: chat, delivery: { aggregate: { windowMs: 600_000 } } }],
    });
    const running = forwarder.run();
    await until(() => stream.state.phase === 'watching');
    const event = server.createEvent(buildEvent({ metadata: { name: 'e', namespace: 'shop' } }));
    for (let i = 0; i < 4; i++) server.recurEvent('shop', event.metadata?.name ?? '');
    await until(() => forwarder.routes[0]?.metrics().held === 4);
    forwarder.stop();
    const report = await running;
    expect(chat.seen.map((s) => s.kind)).toEqual(['event', 'digest']);
    expect(report.undelivered).toBe(0);
  });

  it('drop policies count every dropped occurrence and log them, the whole burst, once per interval', async () => {
    const server = await startServer();
    const stream = new EventStream({ kubeConfig: await kubeconfigFor(server), ack: 'manual' });
    const held = gate();
    const sink = recordingSink('chat', held.promise);
    const warnings: string[] = [];
    const logger: Logger = {
      debug() {},
      info() {},
      error() {},
      warn(obj, msg) {
        warnings.push(`${msg} ${JSON.stringify(obj)}`);
      },
    };
    const forwarder = createForwarder({
      stream,
      logger,
      routes: [
        {
          sink,
          delivery: {
            batch: { maxEvents: 1 },
            buffer: { maxEvents: 5, whenFull: 'dropNewest' },
            request: { timeoutMs: 60_000 },
          },
        },
      ],
    });
    const running = forwarder.run();
    await until(() => stream.state.phase === 'watching');
    for (let i = 0; i < 20; i++) {
      server.createEvent(
        buildEvent({ involvedObject: { kind: 'Pod', namespace: 'shop', name: `p${i}` } }),
      );
    }
    await until(() => forwarder.routes[0]?.stats.received === 20);
    held.open();
    forwarder.stop();
    const report = await running;
    const stats = report.routes.chat;
    expect(stats?.dropped).toBeGreaterThanOrEqual(13);
    expect((stats?.dropped ?? 0) + (stats?.sent ?? 0)).toBe(20);
    expect(forwarder.metrics().routes[0]?.droppedBy).toEqual({
      dropOldest: 0,
      dropNewest: stats?.dropped,
    });
    expect(report.undelivered).toBe(0); // dropped by policy is handled: not replayed
    // The first drop at once, the rest of the burst when the route stops (within the interval).
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /^buffer full: events dropped \{"route":"chat","sink":"chat","dropped":1,"droppedBy":\{"buffer_full_drop_newest":1\},"droppedTotal":1\}$/,
    );
    const dropped = stats?.dropped ?? 0;
    expect(warnings[1]).toBe(
      `buffer full: events dropped {"route":"chat","sink":"chat","dropped":${dropped - 1},"droppedBy":{"buffer_full_drop_newest":${dropped - 1}},"droppedTotal":${dropped}}`,
    );
  });
});
