import type { Sink } from '@keventer/core/kit';
import { buildEvent, startForwarding } from '@keventer/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { kafka } from '../src/index.js';
import { freshTopic, sharedBrokers, untilConsumed } from './support/cluster.js';

describe('a forwarder from the fake API server to the mock Kafka cluster', () => {
  it('writes 5,000 events, each once, an object always on one partition, in order', async () => {
    const brokers = sharedBrokers();
    const topic = freshTopic('forwarder');
    // kube-eventer's URI, brokers repeated.
    const uri = `kafka:?${brokers.map((b) => `brokers=${b}`).join('&')}&eventstopic=${topic}`;
    const sink = await kafka.fromUri(uri);
    // The order the forwarder hands events over in (the stream may reorder a watch's burst).
    const handed: string[] = [];
    const recording: Sink = {
      name: sink.name,
      write: (batch, ctx) => {
        for (const event of batch) handed.push(event.uid);
        return sink.write(batch, ctx);
      },
      close: () => sink.close?.() ?? Promise.resolve(),
    };
    const forwarding = await startForwarding([{ sink: recording }], {
      registerCleanup: onTestFinished,
    });
    const objects = 50;
    const total = 5000;
    for (let i = 0; i < total; i++) {
      forwarding.api.createEvent(
        buildEvent({
          type: 'Warning',
          reason: 'BackOff',
          message: `step ${Math.floor(i / objects)}`,
          involvedObject: { kind: 'Pod', namespace: 'shop', name: `web-${i % objects}` },
        }),
      );
    }
    const messages = await untilConsumed(brokers, topic, total);
    const report = await forwarding.stop();
    expect(report.routes.kafka?.sent).toBe(total);
    expect(messages).toHaveLength(total);

    const ids = messages.map((m) => JSON.parse(m.payload).EventTags.eventID);
    expect(new Set(ids).size).toBe(total);
    const batches = forwarding.forwarder.metrics().routes[0]?.sendDuration.count ?? 0;
    expect(batches).toBeLessThanOrEqual(total / 100); // batched: never one produce per event

    // Per key: one partition, its events at offsets in the order they were handed over.
    const handedAt = new Map(handed.map((uid, i) => [uid, i]));
    const byKey = new Map<string, { partitions: Set<number>; order: [number, number][] }>();
    for (const m of messages) {
      const entry = byKey.get(m.key ?? '') ?? { partitions: new Set(), order: [] };
      entry.partitions.add(m.partition);
      const uid = JSON.parse(m.payload).EventTags.eventID as string;
      entry.order.push([m.offset, handedAt.get(uid) ?? -1]);
      byKey.set(m.key ?? '', entry);
    }
    expect([...byKey.keys()].sort()).toEqual(
      Array.from({ length: objects }, (_, i) => `Pod/shop/web-${i}`).sort(),
    );
    const partitionsUsed = new Set(messages.map((m) => m.partition));
    expect(partitionsUsed.size).toBeGreaterThan(1); // keys spread over the partitions
    for (const [key, { partitions, order }] of byKey) {
      expect(partitions.size, key).toBe(1);
      expect(order, key).toHaveLength(total / objects);
      const handedOrder = order.sort((a, b) => a[0] - b[0]).map(([, at]) => at);
      expect(handedOrder, key).toEqual([...handedOrder].sort((a, b) => a - b));
    }
  }, 120_000);
});
