import * as kit from '@keventer/core/kit';
import { sendError } from './answer.js';
import { ACK_TIMEOUT_MS, kafkaConfig } from './client.js';
import { compressionType } from './codecs.js';
import { kafkaOptions } from './options.js';
import { LazyProducer } from './producer.js';
import { eventMessage } from './value.js';

export const SINK_NAME = 'kafka';

/** Options in code: `await kafka({ brokers: ['kafka-0:9092'], eventstopic: 'k8s-events' })`. */
export type KafkaOptions = kit.OptionsInput<typeof kafkaOptions>;

/** Kafka: kube-eventer's messages, one produce per batch (acks from every in-sync replica), keyed by object. */
export const kafka = kit.defineSink({
  scheme: SINK_NAME,
  description:
    "Kafka (kafkajs): kube-eventer's messages, one produce request per batch with acks=-1, keyed by the involved object.",
  options: kafkaOptions,
  delivery: {
    // A partition's share of a batch stays under the broker's 1 MiB message.max.bytes
    // even when every event has the same key (a message is about 1.5 KB).
    batch: { maxEvents: 500, maxBytes: 400_000, timeoutMs: 500 },
    // One produce in flight: an object's events reach their partition in order,
    // also when a batch is retried.
    request: { concurrency: 1, timeoutMs: 40_000 },
  },
  create(options) {
    const producer = new LazyProducer(kafkaConfig(SINK_NAME, options));
    const compression = compressionType(options.compression);
    const layout = { format: options.format, key: options.message_key };
    const topic = options.eventstopic;

    const produce = async (batch: readonly kit.KubeEvent[]) => {
      try {
        const connected = await producer.get();
        await connected.send({
          topic,
          messages: batch.map((event) => eventMessage(event, layout)),
          acks: -1,
          timeout: ACK_TIMEOUT_MS,
          compression,
        });
      } catch (err) {
        throw sendError(SINK_NAME, err);
      }
    };

    return {
      name: SINK_NAME,
      async write(batch, { signal }) {
        if (batch.length === 0) return;
        signal.throwIfAborted();
        // An aborted produce still lands: the retry may write its events twice (at least once).
        await kit.untilAborted(produce(batch), signal);
      },
      close: () => producer.close(),
    };
  },
});
