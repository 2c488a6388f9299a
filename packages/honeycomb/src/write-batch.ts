import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import * as kit from '@keventer/core/kit';
import { eventError, readStatuses, requestError } from './answer.js';
import { requestBodies } from './request-bodies.js';

const gzipAsync = promisify(gzip);

/**
 * The most of an answer read: Honeycomb answers one status per event
 * (`{"status":202}`, ~60 bytes with an error string), so 1 MiB holds the
 * answer to the largest batch; the kit's 16 KiB would cut it.
 */
const MAX_ANSWER_BYTES = 1024 * 1024;

export interface HoneycombTarget {
  readonly sink: string;
  /** `{apihost}/1/batch/{dataset}`, the dataset URL-encoded. */
  readonly url: URL;
  readonly writekey: string;
}

export function batchUrl(apihost: string, dataset: string): URL {
  const url = new URL(apihost);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return new URL(`1/batch/${encodeURIComponent(dataset)}`, url);
}

/**
 * Writes a batch: one gzipped request, or one per 5 MB of JSON. Resolves when
 * Honeycomb queued every event (202); throws the request's error when nothing
 * was accepted, partialFailure listing the refused (and unsent) events otherwise.
 */
export async function writeBatch(
  target: HoneycombTarget,
  batch: readonly kit.KubeEvent[],
  signal: AbortSignal,
): Promise<void> {
  const failures: kit.EventFailure[] = [];
  for (const body of requestBodies(batch)) {
    const failed = await sendBody(target, body.json, body.count, signal).catch(
      (error: kit.SinkError) => error,
    );
    if (failed instanceof kit.SinkError) {
      // A refused request (401, 503, a timeout) refuses the rest of the batch too: unsent.
      if (body.first === 0) throw failed;
      for (let index = body.first; index < batch.length; index++)
        failures.push({ index, error: failed });
      break;
    }
    for (const { offset, error } of failed) failures.push({ index: body.first + offset, error });
  }
  if (failures.length > 0) throw kit.partialFailure(target.sink, batch, failures);
}

/** One request; resolves with its refused events by offset, throws when the request failed. */
async function sendBody(
  target: HoneycombTarget,
  json: string,
  count: number,
  signal: AbortSignal,
): Promise<Array<{ offset: number; error: kit.SinkError }>> {
  const gzipped = await gzipAsync(json, { level: 1 });
  const answer = await kit.sendJson(target.sink, target.url, gzipped, {
    signal,
    headers: { 'x-honeycomb-team': target.writekey, 'content-encoding': 'gzip' },
    maxAnswerBytes: MAX_ANSWER_BYTES,
  });
  if (answer.status < 200 || answer.status >= 300) throw requestError(target.sink, answer);
  const statuses = readStatuses(answer.text, answer.truncated === true);
  if (statuses === undefined)
    throw kit.permanentError(
      target.sink,
      `the server is not Honeycomb's batch API: it answered ${kit.snippet(answer.text, 200) || 'nothing'} (check apihost)`,
      { statusCode: answer.status },
    );
  const refused: Array<{ offset: number; error: kit.SinkError }> = [];
  for (let offset = 0; offset < count; offset++) {
    const status = statuses[offset];
    if (status === undefined) {
      const why = `Honeycomb's answer ended after ${statuses.length} of ${count} statuses; the rest is sent again`;
      refused.push({ offset, error: kit.retryableError(target.sink, why) });
    } else if (status.status < 200 || status.status >= 300) {
      refused.push({ offset, error: eventError(target.sink, status) });
    }
  }
  return refused;
}
