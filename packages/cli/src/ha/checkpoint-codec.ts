import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { Checkpoint } from '@keventer/core';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** The ConfigMap key holding the gzipped JSON checkpoint (binaryData, so base64 on the wire). */
export const CHECKPOINT_KEY = 'checkpoint.json.gz';

/**
 * A ConfigMap holds at most 1 MiB of data; this leaves room for the key and
 * metadata. 20,000 seen occurrences (core's default) take about 0.5 MiB gzipped.
 */
export const MAX_CHECKPOINT_BYTES = 1_000_000;

/** Gzips a checkpoint off the event loop (zlib's thread pool); the JSON is taken synchronously, before any await. */
export function encodeCheckpoint(checkpoint: Checkpoint): Promise<Buffer> {
  return gzipAsync(JSON.stringify(checkpoint));
}

export async function decodeCheckpoint(data: Buffer, where: string): Promise<Checkpoint> {
  let parsed: Partial<Checkpoint>;
  try {
    parsed = JSON.parse((await gunzipAsync(data)).toString('utf8')) as Partial<Checkpoint>;
  } catch (error) {
    throw new Error(
      `${where} holds no readable checkpoint (${(error as Error).message}); delete it to start afresh`,
    );
  }
  if (
    parsed.version !== 1 ||
    typeof parsed.resourceVersion !== 'string' ||
    !Array.isArray(parsed.seen)
  ) {
    throw new Error(`${where} is not a keventer checkpoint (version 1); delete it to start afresh`);
  }
  return parsed as Checkpoint;
}
