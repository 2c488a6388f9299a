import * as kit from '@keventer/core/kit';
import { entryError, readServiceError, requestError } from './answer.js';
import { type Chunk, chunkBatch } from './chunks.js';
import type { CloudEventLayout } from './cloud-event.js';
import type { Credentials } from './credentials.js';
import { signedHeaders } from './sign.js';

export const PUT_EVENTS_PATH = '/openapi/putEvents';
const STS_REFUSALS = new Set([
  'StsAccessIdExpired',
  'SecurityTokenInvalid',
  'InvalidStsAccessKeyId',
]);
const CONTENT_TYPE = 'application/cloudevents-batch+json; charset=utf-8';

export interface PutEventsTarget {
  readonly sink: string;
  /** The endpoint's origin (and a proxy's path prefix, if any). */
  readonly endpoint: string;
  readonly credentials: Credentials;
  readonly layout: CloudEventLayout;
}

/**
 * Puts a batch as CloudEvents, in as few requests as the limits allow (one
 * for the default batch of 16), one after the other: one attempt each.
 * Resolves when every event was accepted; throws the request's error when
 * the first request failed as a whole, partialFailure when some events
 * failed (refused entries, or a later request that failed as a whole).
 */
export async function putEvents(
  target: PutEventsTarget,
  batch: readonly kit.KubeEvent[],
  signal: AbortSignal,
): Promise<void> {
  const failures: kit.EventFailure[] = [];
  const chunks = chunkBatch(target.sink, target.layout, batch, failures);
  for (const [n, chunk] of chunks.entries()) {
    try {
      failures.push(...(await putChunk(target, chunk, signal)));
    } catch (error) {
      if (!kit.isSinkError(error)) throw error;
      // Nothing was accepted: the batch failed as a whole.
      if (n === 0 && failures.length === 0) throw error;
      for (const rest of chunks.slice(n))
        for (const index of rest.indexes) failures.push({ index, error });
      break;
    }
  }
  if (failures.length > 0) throw kit.partialFailure(target.sink, batch, failures);
}

interface AnswerEntry {
  readonly EventId?: unknown;
  readonly ErrorCode?: unknown;
  readonly ErrorMessage?: unknown;
}

/** One signed PutEvents request; resolves to the failures of its refused entries. */
async function putChunk(
  target: PutEventsTarget,
  chunk: Chunk,
  signal: AbortSignal,
): Promise<kit.EventFailure[]> {
  const url = new URL(target.endpoint);
  url.pathname = url.pathname.replace(/\/$/, '') + PUT_EVENTS_PATH;
  const key = await target.credentials.get(signal);
  const headers = signedHeaders(key, {
    method: 'POST',
    resource: url.pathname,
    contentType: CONTENT_TYPE,
  });
  const body = `[${chunk.entries.join(',')}]`;
  const answer = await kit.sendJson(target.sink, url, body, { signal, headers });
  if (answer.status < 200 || answer.status >= 300) {
    const error = requestError(target.sink, answer);
    // Role credentials the service calls expired are renewed for the next attempt.
    if (STS_REFUSALS.has(readServiceError(answer).code) && target.credentials.refused(key))
      throw kit.retryableError(
        target.sink,
        `${error.message}; the RAM role's credentials are read again`,
        { statusCode: answer.status },
      );
    throw error;
  }
  const parsed = kit.parseJsonAnswer(answer);
  if (parsed === undefined || !('FailedEntryCount' in parsed || 'EntryList' in parsed)) {
    const said = kit.snippet(answer.text, 200) || 'empty';
    throw kit.permanentError(
      target.sink,
      `the server is not EventBridge: its PutEvents answer was ${said} (check endpoint)`,
      { statusCode: answer.status },
    );
  }
  const list = (Array.isArray(parsed.EntryList) ? parsed.EntryList : []) as AnswerEntry[];
  const failedCount = Number(parsed.FailedEntryCount ?? 0);
  const failed = (entry: AnswerEntry) =>
    typeof entry.ErrorCode === 'string' && entry.ErrorCode !== '';
  const failure = (position: number, entry: AnswerEntry): kit.EventFailure => ({
    index: chunk.indexes[position] as number,
    error: entryError(target.sink, String(entry.ErrorCode), String(entry.ErrorMessage ?? '')),
  });
  // The entries answer in the order sent; by EventId when the list is not complete.
  if (list.length === chunk.indexes.length)
    return list.flatMap((entry, position) => (failed(entry) ? [failure(position, entry)] : []));
  if (failedCount === 0) return [];
  const found = list.filter(failed).flatMap((entry) => {
    const position = chunk.ids.indexOf(String(entry.EventId));
    return position < 0 ? [] : [failure(position, entry)];
  });
  if (found.length < failedCount)
    throw kit.retryableError(
      target.sink,
      `EventBridge answered that ${failedCount} of ${chunk.indexes.length} events failed without saying which; all are put again (same ids)`,
    );
  return found;
}
