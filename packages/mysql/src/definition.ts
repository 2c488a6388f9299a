import * as kit from '@keventer/core/kit';
import { createPool, type Pool } from 'mysql2/promise';
import { writeError } from './answer.js';
import { poolOptions } from './connection.js';
import { rawOptionsFromUri } from './dsn.js';
import { buildInsert } from './insert.js';
import { LAYOUT } from './layout.js';
import { mysqlOptions } from './options.js';
import { prepareTable, type TableInfo } from './table.js';

export const SINK_NAME = 'mysql';

/** Options in code: `await mysql({ dsn: 'user:pw@tcp(db:3306)/k8s', table: 'kube_event' })`. */
export type MysqlOptions = kit.OptionsInput<typeof mysqlOptions>;

/** Rows per INSERT by default, and in flight at once: a pool connection each. */
const BATCH_EVENTS = 500;
const CONCURRENCY = 2;

/** MySQL or MariaDB: one multi-row INSERT per batch, upserted by occurrence. */
export const mysql = kit.defineSink({
  scheme: SINK_NAME,
  description:
    "MySQL/MariaDB: kube-eventer's kube_event table, one multi-row INSERT per batch, idempotent by occurrence.",
  options: mysqlOptions,
  delivery: {
    // Well under MySQL 5.7's 4 MB max_allowed_packet: a row is smaller than the event's JSON.
    batch: { maxEvents: BATCH_EVENTS, maxBytes: 2_000_000, timeoutMs: 1000 },
    request: { concurrency: CONCURRENCY, timeoutMs: 30_000 },
  },
  fromUri: rawOptionsFromUri,
  create(options) {
    // One connection per write in flight, one more for a write the engine gave up on.
    const pool = createPool(poolOptions(SINK_NAME, options, CONCURRENCY + 1));
    const layout = LAYOUT[options.layout];
    const { table } = options;
    // Read (and created when missing) once, at the first write; again after a failure.
    let prepared: Promise<TableInfo> | undefined;
    const tableInfo = () => {
      prepared ??= prepareTable(pool, table, layout, options.create_table);
      prepared.catch(() => {
        prepared = undefined;
      });
      return prepared;
    };

    const insert = async (batch: readonly kit.KubeEvent[]) => {
      const info = await tableInfo();
      const { sql, values } = buildInsert(table, layout, info, batch);
      await pool.query(sql, values);
    };

    return {
      name: SINK_NAME,
      async write(batch, { signal }) {
        if (batch.length === 0) return;
        try {
          signal.throwIfAborted();
          // An aborted query still finishes on its connection: its rows are upserts, so the retry writes no copy.
          await kit.untilAborted(insert(batch), signal);
        } catch (err) {
          throw afterFailure(err, options.create_table, () => {
            prepared = undefined;
          });
        }
      },
      close: () => closePool(pool),
    };
  },
});

/**
 * The error of a failed write. A table dropped or altered since it was read
 * is read again at the next write; with create_table a missing one is
 * created then, so that failure is retryable.
 */
function afterFailure(err: unknown, createTable: boolean, forgetTable: () => void): kit.SinkError {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ER_NO_SUCH_TABLE' || code === 'ER_BAD_FIELD_ERROR') forgetTable();
  const error = writeError(SINK_NAME, err);
  if (code === 'ER_NO_SUCH_TABLE' && createTable) {
    return kit.retryableError(SINK_NAME, `${error.message} (it is created at the next attempt)`, {
      cause: err,
    });
  }
  return error;
}

async function closePool(pool: Pool): Promise<void> {
  await pool.end();
}
