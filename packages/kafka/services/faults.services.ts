import { normalizeEvent } from '@keventer/core';
import type { Sink } from '@keventer/core/kit';
import { buildEvent, startForwarding } from '@keventer/testing';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { kafka } from '../src/index.js';
import { freshTopic, OwnCluster, readTopic, until, untilConsumed } from './support/cluster.js';

const clusters: OwnCluster[] = [];
afterEach(async () => {
  for (const cluster of clusters.splice(0)) await cluster.stop();
});
async function cluster(args: string[]) {
  const started = await OwnCluster.start(args);
  clusters.push(started);
  return started;
}

/** Kafka's protocol: ApiKey 0 is Produce. */
const PRODUCE = 0;

const eventIds = (messages: { payload: string }[]) =>
  messages.map((m) => JSON.parse(m.payload).EventTags.eventID as string);

describe('brokers that fail and come back', () => {
  it('retries the batch through core while every broker is down, then delivers each event once', async () => {
    const topic = freshTopic('down');
    const mock = await cluster(['-b', '3', `${topic}:4`]);
    // Short backoff ceilings so the test sees several retries in seconds.
    const sink = await kafka.fromUri(
      `kafka:?${mock.brokers.map((b) => `brokers=${b}`).join('&')}&eventstopic=${topic}&timeout=500ms&request.retryInitialBackoffMs=100`,
    );
    const forwarding = await startForwarding([{ sink }], { registerCleanup: onTestFinished });
    const route = () => forwarding.forwarder.metrics().routes[0];
    const create = (from: number, count: number) => {
      for (let i = from; i < from + count; i++) {
        forwarding.api.createEvent(
          buildEvent({ involvedObject: { kind: 'Pod', namespace: 'shop', name: `web-${i % 9}` } }),
        );
      }
    };

    create(0, 200);
    await untilConsumed(mock.brokers, topic, 200);
    await mock.command('down -1');
    create(200, 300);
    await until(
      () => (route()?.retries ?? 0) >= 2,
      () => `retries=${route()?.retries} sent=${route()?.sent}`,
    );
    expect(route()?.sent).toBe(200);
    await mock.command('up -1');
    const messages = await untilConsumed(mock.brokers, topic, 500);
    await until(
      () => route()?.sent === 500,
      () => `sent=${route()?.sent}`,
    );
    const report = await forwarding.stop();
    expect(messages).toHaveLength(500);
    expect(new Set(eventIds(messages)).size).toBe(500);
    expect(report.routes.kafka).toMatchObject({ sent: 500, deadLettered: 0 });
  }, 90_000);

  it("classifies the broker's answers on the wire: NOT_LEADER retried, TOPIC_AUTHORIZATION_FAILED not", async () => {
    const topic = freshTopic('errors');
    const mock = await cluster(['-b', '1', `${topic}:2`]);
    const sink = await kafka({ brokers: mock.brokers, eventstopic: topic });
    onTestFinished(() => sink.close?.() ?? Promise.resolve());
    const write = (s: Sink, uid: string) =>
      s.write([normalizeEvent(buildEvent({ metadata: { uid } }))], {
        signal: new AbortController().signal,
      });
    await write(sink, 'first'); // connected, metadata known

    await mock.command(`errors ${PRODUCE} 1 6`); // NOT_LEADER_FOR_PARTITION
    await expect(write(sink, 'moved')).rejects.toMatchObject({
      retryable: true,
      message: expect.stringMatching(/NOT_LEADER_FOR_PARTITION.*leader moved/),
    });
    await mock.command(`errors ${PRODUCE} 1 29`); // TOPIC_AUTHORIZATION_FAILED
    await expect(write(sink, 'denied')).rejects.toMatchObject({
      retryable: false,
      message: expect.stringMatching(/TOPIC_AUTHORIZATION_FAILED.*grant it WRITE/),
    });
    await mock.command(`errors ${PRODUCE} 1 10`); // MESSAGE_TOO_LARGE
    await expect(write(sink, 'large')).rejects.toMatchObject({
      retryable: false,
      message: expect.stringMatching(/MESSAGE_TOO_LARGE.*batch.maxBytes/),
    });
    await write(sink, 'last');
    // Each refused produce wrote nothing: one attempt each, no retry inside the sink.
    expect(eventIds(await readTopic(mock.brokers, topic)).sort()).toEqual(['first', 'last']);
  }, 60_000);

  it('retries a batch the broker refused twice with a retriable error, then delivers it once', async () => {
    const topic = freshTopic('retried');
    const mock = await cluster(['-b', '1', `${topic}:2`]);
    const sink = await kafka.fromUri(
      `kafka:?brokers=${mock.brokers[0]}&eventstopic=${topic}&request.retryInitialBackoffMs=50`,
    );
    const forwarding = await startForwarding([{ sink }], { registerCleanup: onTestFinished });
    const route = () => forwarding.forwarder.metrics().routes[0];
    forwarding.api.createEvent(buildEvent({ metadata: { name: 'warm-up' } }));
    await untilConsumed(mock.brokers, topic, 1);
    await mock.command(`errors ${PRODUCE} 2 19`); // NOT_ENOUGH_REPLICAS, twice
    for (let i = 0; i < 100; i++) forwarding.api.createEvent(buildEvent());
    await until(
      () => route()?.sent === 101,
      () => `sent=${route()?.sent} retries=${route()?.retries}`,
    );
    expect(route()?.retries).toBeGreaterThanOrEqual(2);
    const messages = await readTopic(mock.brokers, topic);
    expect(new Set(eventIds(messages)).size).toBe(101);
    expect(messages).toHaveLength(101);
  }, 60_000);

  it('fails fast while the broker refuses connections, and settles at once when the engine aborts a slow write', async () => {
    const topic = freshTopic('abort');
    const mock = await cluster(['-b', '1', `${topic}:1`]);
    const sink = await kafka({ brokers: mock.brokers, eventstopic: topic, timeout: '20s' });
    const event = () => normalizeEvent(buildEvent());
    await sink.write([event()], { signal: new AbortController().signal });
    await mock.command('down -1');
    await expect(
      sink.write([event()], { signal: new AbortController().signal }),
    ).rejects.toMatchObject({ retryable: true });
    await mock.command('up -1');
    await mock.command('rtt -1 5000'); // the broker answers 5 s late
    const started = Date.now();
    const error = await sink
      .write([event()], { signal: AbortSignal.timeout(300) })
      .catch((e: unknown) => e as Error);
    expect((error as Error).name).toBe('TimeoutError');
    expect(Date.now() - started).toBeLessThan(2000);
    await mock.command('rtt -1 0');
    await sink.close?.();
  }, 30_000);
});
