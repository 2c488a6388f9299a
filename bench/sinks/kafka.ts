// Kafka (KAFKA_BROKERS, from scripts/kafka-mock/start.sh: librdkafka's mock
// cluster, 3 brokers): the sink from kube-eventer's URI at its defaults into a
// fresh topic (created on first produce); the baseline is kube-eventer's way,
// its sarama SyncProducer: one produce per event, each awaited, no key, acks
// from the leader. Messages are counted by the partitions' high watermarks.
import type { KubeEvent } from '@keventer/core';
import { kafka } from '@keventer/kafka';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import type { SinkBench, Target } from './types.js';

function brokers(): string[] {
  const list = process.env.KAFKA_BROKERS;
  if (!list) throw new Error('KAFKA_BROKERS is not set');
  return list.split(',');
}

const client = () =>
  new Kafka({
    clientId: 'keventer-bench',
    brokers: brokers(),
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  });

/** kube-eventer's value for one event (its KafkaSinkPoint), as the baseline writes it. */
function kubeEventerValue(event: KubeEvent): string {
  const { apiVersion: _v, kind: _k, ...object } = event.raw as unknown as Record<string, unknown>;
  const tags: Record<string, string> = { eventID: event.uid, hostname: event.host };
  if (event.involvedObject.kind === 'Pod') {
    tags.pod_id = event.involvedObject.uid;
    tags.pod_name = event.involvedObject.name;
  }
  return JSON.stringify({
    EventValue: JSON.stringify(object, null, 1),
    EventTimestamp: event.lastTimestamp,
    EventTags: tags,
  });
}

export const kafkaBench: SinkBench = {
  name: 'kafka',
  unit: 'msgs',
  service: 'kafka-mock',
  perEventMethod: "one send per event, awaited, no key, acks=1 (kube-eventer's SyncProducer)",
  missing: () => (process.env.KAFKA_BROKERS ? undefined : 'KAFKA_BROKERS is not set'),

  async fresh(run) {
    return { topic: `bench-${run}`, brokers: brokers().join(',') };
  },

  // kube-eventer's --sink value, brokers repeated, as a user migrating from it passes it.
  createSink: (target: Target) =>
    kafka.fromUri(
      `kafka:?${(target.brokers ?? '')
        .split(',')
        .map((b) => `brokers=${b}`)
        .join('&')}&eventstopic=${target.topic}`,
    ),

  async count(target) {
    const admin = client().admin();
    await admin.connect();
    try {
      // A fresh topic starts at offset 0; the mock drops old segments (its low
      // watermark moves), so the high watermarks are what was appended.
      const offsets = await admin.fetchTopicOffsets(target.topic ?? '');
      return offsets.reduce((sum, p) => sum + Number(p.high), 0);
    } finally {
      await admin.disconnect();
    }
  },

  async perEvent(target, events: readonly KubeEvent[]) {
    const producer: Producer = client().producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: 0 },
    });
    await producer.connect();
    try {
      for (const event of events) {
        await producer.send({
          topic: target.topic ?? '',
          acks: 1,
          messages: [{ key: null, value: kubeEventerValue(event) }],
        });
      }
    } finally {
      await producer.disconnect();
    }
  },

  async close() {},
};
