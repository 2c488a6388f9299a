import * as kit from '@keventer/core/kit';
import { type Layout, quoteId } from './layout.js';
import type { ColumnInfo, TableInfo } from './table.js';

/** A statement and its parameters, for pool.query (mysql2 escapes each value). */
export interface Statement {
  readonly sql: string;
  readonly values: Array<string | number | null>;
}

const CUT_MARKER = '…';

/**
 * One multi-row INSERT for the whole batch. With an occurrence_id column
 * (a unique key), a row already written is left as it is: `ON DUPLICATE KEY
 * UPDATE` a no-op rather than INSERT IGNORE, which would also turn real
 * errors (a bad value) into warnings. Without it (kube-eventer's own table),
 * a plain INSERT, as kube-eventer does.
 */
export function buildInsert(
  table: string,
  layout: Layout,
  info: TableInfo,
  batch: readonly kit.KubeEvent[],
): Statement {
  const columns = layout.columns.filter((c) => info.has(c.name));
  const row = `(${columns.map(() => '?').join(', ')})`;
  const values: Array<string | number | null> = [];
  for (const event of batch) {
    for (const column of columns) values.push(fit(column.value(event), info.get(column.name)));
  }
  const names = columns.map((c) => quoteId(c.name)).join(', ');
  const upsert = info.has('occurrence_id')
    ? ' ON DUPLICATE KEY UPDATE `occurrence_id` = `occurrence_id`'
    : '';
  const rows = batch.map(() => row).join(', ');
  return { sql: `INSERT INTO ${quoteId(table)} (${names}) VALUES ${rows}${upsert}`, values };
}

/**
 * A text cut to what its column holds, on a character boundary and with '…'
 * (kube-eventer's message is varchar(255): strict mode would fail the whole
 * batch, lax mode cut it silently); 4-byte characters become U+FFFD in a
 * utf8mb3 column, which refuses them.
 */
export function fit(
  value: string | number | null,
  column: ColumnInfo | undefined,
): string | number | null {
  if (typeof value !== 'string' || column === undefined) return value;
  let text = column.bmpOnly ? value.replace(/[\u{10000}-\u{10FFFF}]/gu, '\uFFFD') : value;
  // A text has no more code points than UTF-16 units: most are counted without a spread.
  if (
    column.maxChars !== undefined &&
    text.length > column.maxChars &&
    [...text].length > column.maxChars
  ) {
    text = cutChars(text, column.maxChars);
  }
  if (column.maxBytes !== undefined) text = kit.truncateUtf8(text, column.maxBytes, CUT_MARKER);
  return text;
}

// Code points, as MySQL counts characters; the marker takes the last one.
function cutChars(text: string, maxChars: number): string {
  if (maxChars < 1) return '';
  return [...text].slice(0, maxChars - 1).join('') + CUT_MARKER;
}
