import { randomBytes } from 'node:crypto';
import type { ICustomPartitioner } from 'kafkajs';

/**
 * Kafka's murmur2 (Java's `Utils.murmur2`, which kafkajs's DefaultPartitioner
 * ports with 64-bit Long arithmetic on BigInt) in 32-bit integers: the hash
 * of a key's UTF-8 bytes, as a signed 32-bit int. An ASCII string is read
 * char by char (its bytes), anything else from its UTF-8 Buffer, as kafkajs's
 * `Buffer.from(String(key))`.
 */
export function murmur2(key: string | Buffer): number {
  if (typeof key === 'string') {
    const length = key.length;
    for (let i = 0; i < length; i++) {
      if (key.charCodeAt(i) > 0x7f) return murmur2Bytes(Buffer.from(key, 'utf8'));
    }
    return murmur2Ascii(key);
  }
  return murmur2Bytes(key);
}

const SEED = 0x9747b28c | 0;
const M = 0x5bd1e995;

function murmur2Ascii(data: string): number {
  const length = data.length;
  let h = SEED ^ length;
  const length4 = length & ~3;
  for (let i = 0; i < length4; i += 4) {
    let k =
      data.charCodeAt(i) |
      (data.charCodeAt(i + 1) << 8) |
      (data.charCodeAt(i + 2) << 16) |
      (data.charCodeAt(i + 3) << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const rest = length & 3;
  if (rest !== 0) {
    if (rest === 3) h ^= data.charCodeAt(length4 + 2) << 16;
    if (rest >= 2) h ^= data.charCodeAt(length4 + 1) << 8;
    h ^= data.charCodeAt(length4);
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h;
}

function murmur2Bytes(data: Uint8Array): number {
  const length = data.length;
  let h = SEED ^ length;
  const length4 = length & ~3;
  for (let i = 0; i < length4; i += 4) {
    let k =
      (data[i] as number) |
      ((data[i + 1] as number) << 8) |
      ((data[i + 2] as number) << 16) |
      ((data[i + 3] as number) << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const rest = length & 3;
  if (rest !== 0) {
    if (rest === 3) h ^= (data[length4 + 2] as number) << 16;
    if (rest >= 2) h ^= (data[length4 + 1] as number) << 8;
    h ^= data[length4] as number;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h;
}

const toPositive = (x: number) => x & 0x7fffffff;

/** A topic's round-robin counter starts at a random unsigned 32-bit number, as kafkajs's. */
const randomStart = () => randomBytes(4).readUInt32BE(0);

/**
 * kafkajs's DefaultPartitioner (Java's murmur2 partitioner), choosing the
 * same partition for every message, without its BigInt arithmetic: the
 * message's own `partition` when given; for a key, `toPositive(murmur2(key)) %
 * numPartitions` over all the topic's partitions; without a key, round-robin
 * over the partitions that have a leader (all of them when none has), from a
 * random start per topic.
 */
export const JavaCompatiblePartitioner: ICustomPartitioner = () => javaPartitioner(randomStart);

/** The partitioner with its counters' start taken from `start` (tests give a fixed one). */
export function javaPartitioner(start: () => number): ReturnType<ICustomPartitioner> {
  const counters = new Map<string, number>();
  return ({ topic, partitionMetadata, message }) => {
    let counter = counters.get(topic);
    if (counter === undefined) {
      counter = start();
      counters.set(topic, counter);
    }
    if (message.partition !== null && message.partition !== undefined) return message.partition;
    const numPartitions = partitionMetadata.length;
    const key = message.key;
    if (key !== null && key !== undefined) {
      return toPositive(murmur2(Buffer.isBuffer(key) ? key : String(key))) % numPartitions;
    }
    counters.set(topic, ++counter);
    const available = partitionMetadata.filter((p) => p.leader >= 0);
    if (available.length > 0) {
      return (available[toPositive(counter) % available.length] as { partitionId: number })
        .partitionId;
    }
    return toPositive(counter) % numPartitions;
  };
}
