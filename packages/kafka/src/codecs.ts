import kafkajs from 'kafkajs';
import snappyCodec from 'kafkajs-snappy';
import * as lz4 from 'lz4js';
import type { KafkaCompression } from './options.js';

// kafkajs is CommonJS: Node's ESM loader sees only some of its exports by name.
const { CompressionCodecs, CompressionTypes } = kafkajs;
type CompressionType = kafkajs.CompressionTypes;

/** kafkajs's codec shape: compress gets its encoder (the records' bytes in `buffer`). */
interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

/**
 * LZ4 frames (Kafka's format since message format v1) by lz4js, pure JS. Its
 * frames have 4 MiB blocks, so a produce request's batch (under the broker's
 * 1 MiB message.max.bytes) is one block: no block depends on another.
 */
const lz4Codec = (): Codec => ({
  async compress(encoder) {
    return Buffer.from(lz4.compress(encoder.buffer));
  },
  async decompress(buffer) {
    return Buffer.from(lz4.decompress(buffer));
  },
});

/**
 * kafkajs knows gzip only; snappy and lz4 are registered in its (process-wide)
 * codec table when a sink asks for them, unless the application registered
 * its own. The codecs are pure JS: nothing to build natively on install.
 */
export function compressionType(compression: KafkaCompression): CompressionType {
  switch (compression) {
    case 'gzip':
      return CompressionTypes.GZIP;
    case 'snappy':
      register(CompressionTypes.Snappy, snappyCodec);
      return CompressionTypes.Snappy;
    case 'lz4':
      register(CompressionTypes.LZ4, lz4Codec);
      return CompressionTypes.LZ4;
    default:
      return CompressionTypes.None;
  }
}

/** kafkajs's placeholder for a codec it lacks throws when looked up. */
function register(type: CompressionType, codec: () => Codec): void {
  try {
    CompressionCodecs[type as keyof typeof CompressionCodecs]();
  } catch {
    CompressionCodecs[type as keyof typeof CompressionCodecs] = codec;
  }
}
