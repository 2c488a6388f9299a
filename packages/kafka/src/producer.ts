import kafkajs, { type KafkaConfig, type Producer } from 'kafkajs';
import { JavaCompatiblePartitioner } from './partitioner.js';

// kafkajs is CommonJS: taken from its module object, as Node's ESM loader needs.
const { Kafka } = kafkajs;

/**
 * One kafkajs producer, connected on the first write (a sink built at
 * startup does not fail while Kafka is down: its writes are retried) and
 * again after kafkajs dropped it; disconnected by close().
 */
export class LazyProducer {
  private readonly producer: Producer;
  private connecting: Promise<void> | undefined;
  private closed = false;

  constructor(config: KafkaConfig) {
    this.producer = new Kafka(config).producer({
      // Java's murmur2 partitioner: a key lands where Java clients (and kafkajs's
      // DefaultPartitioner) put it; ours hashes in 32-bit ints, not BigInt.
      createPartitioner: JavaCompatiblePartitioner,
      retry: { retries: 0 },
      allowAutoTopicCreation: true,
      // Idempotence needs a transaction coordinator (and acks=-1 already waits for replicas).
      idempotent: false,
    });
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.connecting = undefined;
    });
  }

  /** The connected producer; a failed connect is forgotten, so the next write tries again. */
  async get(): Promise<Producer> {
    if (this.closed) throw new Error('the sink is closed');
    this.connecting ??= this.producer.connect().catch((err: unknown) => {
      this.connecting = undefined;
      throw err;
    });
    await this.connecting;
    return this.producer;
  }

  async close(): Promise<void> {
    this.closed = true;
    const connecting = this.connecting;
    this.connecting = undefined;
    if (connecting === undefined) return;
    await connecting.catch(() => {});
    await this.producer.disconnect();
  }
}
