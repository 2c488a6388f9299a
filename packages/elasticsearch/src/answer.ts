import * as kit from '@keventer/core/kit';
import type { BulkItem } from './bulk-items.js';

/** Error types that are about load, whatever their status. */
const OVERLOADED = new Set([
  'es_rejected_execution_exception',
  'circuit_breaking_exception',
  'unavailable_shards_exception',
  'node_not_connected_exception',
  'no_shard_available_action_exception',
]);

/** What fixes each permanent error type. */
const HINTS: Readonly<Record<string, string>> = {
  mapper_parsing_exception:
    "a field's value does not fit the index's mapping: fix the index template, or write another layout (layout=keventer) or index",
  document_parsing_exception:
    "a field's value does not fit the index's mapping: fix the index template, or write another layout (layout=keventer) or index",
  strict_dynamic_mapping_exception:
    'the index mapping is strict: add the fields to the index template, or write another index',
  illegal_argument_exception:
    'the server refused the request: for a mapping conflict, fix the index template; for a missing pipeline, create it or unset pipeline',
  index_not_found_exception:
    'the index does not exist and the cluster does not create it: create it, or allow action.auto_create_index for it',
  security_exception: 'check esUserName/esUserSecret and the user’s privileges',
  action_request_validation_exception:
    'the server wants another request: set ver to its major version (ver=6 for ES 6)',
  cluster_block_exception:
    'the index is read-only (disk flood stage or a block): free disk, then reset index.blocks.read_only_allow_delete',
};

const reasonOf = (error: BulkItem['error']) =>
  error ? `${error.type ?? 'error'}: ${error.reason ?? ''}` : '';

/** One failed item's error: retryable for 429, 5xx and load rejections; permanent with what to fix. */
export function itemError(sink: string, item: BulkItem): kit.SinkError {
  const { status: statusCode, error } = item;
  const what = `Elasticsearch refused the document (HTTP ${statusCode}) ${reasonOf(error)}`.trim();
  if (kit.isRetryableStatus(statusCode) || OVERLOADED.has(error?.type ?? ''))
    return kit.retryableError(sink, what, { statusCode });
  const hint = HINTS[error?.type ?? ''];
  return kit.permanentError(sink, hint ? `${what} (${hint})` : what, { statusCode });
}

/** Whole-request errors by status, for answers without an error type. */
const STATUS_HINTS: Readonly<Record<number, string>> = {
  401: 'check esUserName/esUserSecret',
  403: 'grant the user the create_doc (or index) privilege on the indices',
  404: 'check the URL: it must be the cluster root (or the proxy path in front of it)',
  413: 'the batch is too large for http.max_content_length: lower batch.maxBytes',
};

/** The error of a whole `_bulk` request that failed (non-2xx). */
export function requestError(sink: string, answer: kit.HttpAnswer): kit.SinkError {
  const { status: statusCode } = answer;
  const body = kit.parseJsonAnswer(answer);
  const error = body?.error as BulkItem['error'] | string | undefined;
  const text =
    typeof error === 'object' ? reasonOf(error) : (error ?? kit.snippet(answer.text, 300));
  const what = `Elasticsearch answered HTTP ${statusCode}${text ? `: ${text}` : ''}`;
  if (kit.isRetryableStatus(statusCode)) {
    const retryAfterMs = kit.parseRetryAfter(answer.headers.get('retry-after'));
    return kit.retryableError(sink, what, { statusCode, retryAfterMs });
  }
  const type = typeof error === 'object' ? (error.type ?? '') : '';
  const hint = STATUS_HINTS[statusCode] ?? HINTS[type];
  return kit.permanentError(sink, hint ? `${what} (${hint})` : what, { statusCode });
}
