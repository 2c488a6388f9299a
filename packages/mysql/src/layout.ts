import { type KubeEvent, occurrenceId } from '@keventer/core';
import type { LayoutName } from './options.js';
import { goTimeString, sqlDateTime } from './time.js';

/** One column a layout writes, and its value for an event. */
export interface Column {
  readonly name: string;
  /** Its type when the sink creates the table. */
  readonly type: string;
  /** A table without it is still written to (kube-eventer's own table has no occurrence_id). */
  readonly optional?: boolean;
  value(event: KubeEvent): string | number | null;
}

export interface Layout {
  readonly name: LayoutName;
  readonly columns: readonly Column[];
  /** Indexes besides the primary key and the occurrence key, when the sink creates the table. */
  readonly keys: readonly string[];
}

const text = (name: string, value: (e: KubeEvent) => string, type = "varchar(255) DEFAULT ''") => ({
  name,
  type,
  value,
});

/**
 * The occurrence key: `<uid>/<count>/<lastTimestamp ms>`, core's occurrence
 * identity. A replayed batch (after a crash or a retry) carries the same keys,
 * and the unique index turns its rows into no-ops. 191 characters fit an
 * index on any InnoDB row format with utf8mb4 (767 bytes). An event without
 * a uid has no identity: NULL, which a unique key never matches.
 */
const occurrence: Column = {
  name: 'occurrence_id',
  type: 'varchar(191) NULL',
  optional: true,
  value: (e) => (e.uid === '' ? null : occurrenceId(e)),
};

/**
 * kube-eventer's kube_event (common/mysql/shema.sql): its columns, in its
 * types, filled as it fills them; the sink adds occurrence_id and its unique
 * key when it creates the table.
 */
const kubeEventer: Layout = {
  name: 'kube-eventer',
  columns: [
    text('namespace', (e) => e.involvedObject.namespace),
    text('kind', (e) => e.involvedObject.kind),
    text('name', (e) => e.involvedObject.name),
    text('type', (e) => e.type),
    text('reason', (e) => e.reason),
    text('message', (e) => e.message),
    text('event_id', (e) => e.uid),
    text('first_occurrence_time', (e) => goTimeString(e.firstTimestamp)),
    text('last_occurrence_time', (e) => goTimeString(e.lastTimestamp)),
    occurrence,
  ],
  keys: [],
};

/** kube-eventer's column names where it has them, in types made for queries. */
const keventer: Layout = {
  name: 'keventer',
  columns: [
    { ...occurrence, optional: false },
    text('event_id', (e) => e.uid, "varchar(64) NOT NULL DEFAULT ''"),
    text('namespace', (e) => e.involvedObject.namespace),
    text('kind', (e) => e.involvedObject.kind),
    text('name', (e) => e.involvedObject.name),
    text('type', (e) => e.type, "varchar(32) NOT NULL DEFAULT ''"),
    text('reason', (e) => e.reason),
    text('message', (e) => e.message, 'text NOT NULL'),
    { name: 'count', type: 'int unsigned NOT NULL DEFAULT 1', value: (e) => e.count },
    {
      name: 'first_occurrence_time',
      type: 'datetime(3) NULL',
      value: (e) => sqlDateTime(e.firstTimestamp),
    },
    {
      name: 'last_occurrence_time',
      type: 'datetime(3) NULL',
      value: (e) => sqlDateTime(e.lastTimestamp),
    },
    text('component', (e) => e.reportingComponent),
    text('host', (e) => e.host),
  ],
  keys: [
    'KEY `last_occurrence` (`last_occurrence_time`)',
    'KEY `object` (`namespace`, `kind`, `name`)',
  ],
};

export const LAYOUT: Readonly<Record<LayoutName, Layout>> = {
  'kube-eventer': kubeEventer,
  keventer,
};

/** `CREATE TABLE IF NOT EXISTS` for `layout`, utf8mb4 so CJK and emoji survive. */
export function createTableSql(table: string, layout: Layout): string {
  // kube-eventer's id and update_time around the layout's columns, as in its shema.sql.
  const lines = [
    '`id` bigint NOT NULL AUTO_INCREMENT',
    ...layout.columns.map((c) => `${quoteId(c.name)} ${c.type}`),
    '`update_time` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP',
    'PRIMARY KEY (`id`)',
    'UNIQUE KEY `occurrence` (`occurrence_id`)',
    ...layout.keys,
  ];
  return `CREATE TABLE IF NOT EXISTS ${quoteId(table)} (\n  ${lines.join(',\n  ')}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;
}

/** Table and column names are checked at startup; the backticks keep reserved words (`type`, `name`) apart. */
export function quoteId(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}
