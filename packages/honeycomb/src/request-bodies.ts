import type * as kit from '@keventer/core/kit';
import { toBatchEvent } from './event-data.js';

/**
 * Honeycomb's limit for one batch request's JSON, uncompressed (libhoney's
 * `apiMaxBatchSize`). Gzip shrinks what travels, not what is counted.
 */
export const MAX_BODY_BYTES = 5_000_000;

/** One request's share of a batch: its JSON array and where its events start in the batch. */
export interface RequestBody {
  readonly json: string;
  readonly first: number;
  readonly count: number;
}

/**
 * The batch as JSON arrays of at most `maxBytes` each: one in the usual case
 * (the engine's `batch.maxBytes` is an estimate that undercounts non-ASCII
 * text, so a batch can still come out larger; then it goes in several).
 */
export function requestBodies(
  batch: readonly kit.KubeEvent[],
  maxBytes = MAX_BODY_BYTES,
): RequestBody[] {
  const bodies: RequestBody[] = [];
  let parts: string[] = [];
  let bytes = 2; // the brackets
  let first = 0;
  const flush = (next: number) => {
    if (parts.length > 0) bodies.push({ json: `[${parts.join(',')}]`, first, count: parts.length });
    parts = [];
    bytes = 2;
    first = next;
  };
  batch.forEach((event, index) => {
    const json = JSON.stringify(toBatchEvent(event));
    const size = Buffer.byteLength(json);
    if (parts.length > 0 && bytes + 1 + size > maxBytes) flush(index);
    bytes += size + (parts.length > 0 ? 1 : 0);
    parts.push(json);
  });
  flush(batch.length);
  return bodies;
}
