import { occurrenceId } from '@keventer/core';
import type * as kit from '@keventer/core/kit';
import { type DocumentLayout, indexFor, toDocument } from './document.js';

export interface BulkLayout extends DocumentLayout {
  readonly opType: 'create' | 'index';
  /** ES 2, 5 and 6 need a mapping type; kube-eventer's was `events`. */
  readonly mappingType: string;
}

/**
 * The `_bulk` NDJSON body: an action line and a document line per event, each
 * ending in '\n' (the last too: the server refuses a body without it). The `_id`
 * is the occurrence's, so a replay finds its own document.
 */
export function bulkBody(batch: readonly kit.KubeEvent[], layout: BulkLayout): string {
  let body = '';
  for (const event of batch) {
    const meta = {
      _index: indexFor(event, layout),
      ...(layout.mappingType ? { _type: layout.mappingType } : {}),
      _id: occurrenceId(event),
    };
    body += `${JSON.stringify({ [layout.opType]: meta })}\n${JSON.stringify(toDocument(event, layout))}\n`;
  }
  return body;
}
