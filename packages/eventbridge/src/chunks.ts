import * as kit from '@keventer/core/kit';
import { type CloudEventLayout, toCloudEvent } from './cloud-event.js';

/** PutEvents' documented limits per request (API reference): entries, body bytes, bytes of one event. */
export const MAX_ENTRIES = 16;
export const MAX_REQUEST_BYTES = 262_144;
export const MAX_EVENT_BYTES = 65_536;

/** Entries of one request: their JSON texts and their indexes in the batch. */
export interface Chunk {
  readonly indexes: number[];
  readonly entries: string[];
  readonly ids: string[];
  bytes: number;
}

/** Splits the batch by the entry and byte limits; an event over the per-event limit fails alone. */
export function chunkBatch(
  sink: string,
  layout: CloudEventLayout,
  batch: readonly kit.KubeEvent[],
  failures: kit.EventFailure[],
): Chunk[] {
  const chunks: Chunk[] = [];
  let chunk: Chunk | undefined;
  batch.forEach((event, index) => {
    const cloudEvent = toCloudEvent(event, layout);
    const entry = JSON.stringify(cloudEvent);
    const bytes = Buffer.byteLength(entry);
    if (bytes > MAX_EVENT_BYTES) {
      const why = `the event is ${bytes} bytes as a CloudEvent, over PutEvents' ${MAX_EVENT_BYTES} bytes per event; it cannot be put`;
      failures.push({ index, error: kit.permanentError(sink, why) });
      return;
    }
    if (
      !chunk ||
      chunk.indexes.length === MAX_ENTRIES ||
      chunk.bytes + bytes + 1 > MAX_REQUEST_BYTES
    ) {
      // The brackets (2), less the comma the first entry does not need.
      chunk = { indexes: [], entries: [], ids: [], bytes: 1 };
      chunks.push(chunk);
    }
    chunk.indexes.push(index);
    chunk.entries.push(entry);
    chunk.ids.push(cloudEvent.id);
    chunk.bytes += bytes + 1; // the entry and its comma
  });
  return chunks;
}
