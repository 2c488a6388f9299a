import * as kit from '@keventer/core/kit';
import { itemError, requestError } from './answer.js';
import { type BulkLayout, bulkBody } from './bulk-body.js';
import { readBulkAnswer } from './bulk-items.js';

export interface EsServer {
  readonly sink: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly pipeline: string;
}

// The answer keeps only what is judged: it stays under the kit's answer bound for hundreds of items.
const FILTER =
  'errors,items.*.status,items.*.error.type,items.*.error.reason,error.type,error.reason,status';

export function bulkUrl(node: string, pipeline: string): URL {
  const url = new URL(node);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  const target = new URL('_bulk', url);
  target.searchParams.set('filter_path', FILTER);
  if (pipeline) target.searchParams.set('pipeline', pipeline);
  return target;
}

/**
 * One `_bulk` request for the batch: one attempt. Resolves when every event
 * was written (a 409 of `create` is a replay: delivered); throws a whole-batch
 * error when the request failed, partialFailure when some items failed.
 */
export async function writeBulk(
  server: EsServer,
  node: string,
  layout: BulkLayout,
  batch: readonly kit.KubeEvent[],
  signal: AbortSignal,
): Promise<void> {
  const answer = await kit.sendJson(
    server.sink,
    bulkUrl(node, server.pipeline),
    bulkBody(batch, layout),
    {
      signal,
      headers: { ...server.headers, 'content-type': 'application/x-ndjson' },
    },
  );
  if (answer.status < 200 || answer.status >= 300) throw requestError(server.sink, answer);
  const product = answer.headers.get('x-elastic-product');
  const bulk = readBulkAnswer(answer.text, answer.truncated === true);
  if ((product !== null && product !== 'Elasticsearch') || bulk === undefined) {
    throw kit.permanentError(
      server.sink,
      `the server is not Elasticsearch or OpenSearch: its _bulk answer was ${kit.snippet(answer.text, 200) || 'empty'} (check the URL)`,
      { statusCode: answer.status },
    );
  }
  if (!bulk.errors) return;
  const replayed = layout.opType === 'create' ? 409 : -1;
  const failures: kit.EventFailure[] = [];
  batch.forEach((_, index) => {
    const item = bulk.items[index];
    if (item === undefined) {
      // Cut from the answer (or never answered): written again, which the _id makes safe.
      const why = `the _bulk answer ended after ${bulk.items.length} of ${batch.length} items; the rest is written again`;
      failures.push({ index, error: kit.retryableError(server.sink, why) });
    } else if ((item.status < 200 || item.status >= 300) && item.status !== replayed) {
      failures.push({ index, error: itemError(server.sink, item) });
    }
  });
  if (failures.length > 0) throw kit.partialFailure(server.sink, batch, failures);
}
