// MariaDB (MYSQL_URL, from scripts/mariadb/start.sh): the sink from kube-eventer's
// URI at its defaults, into a fresh database where it creates its kube_event table;
// the baseline is kube-eventer's way, one INSERT per event on one connection.
import type { KubeEvent } from '@keventer/core';
import { mysql } from '@keventer/mysql';
import { type Connection, createConnection, type RowDataPacket } from 'mysql2/promise';
import type { SinkBench, Target } from './types.js';

let admin: Connection | undefined;
const created: string[] = [];

function server(): URL {
  const url = process.env.MYSQL_URL;
  if (!url) throw new Error('MYSQL_URL is not set');
  return new URL(url);
}

async function connect(database?: string): Promise<Connection> {
  const url = server();
  return createConnection({
    host: url.hostname,
    port: Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    charset: 'UTF8MB4_UNICODE_CI',
    ...(database ? { database } : {}),
  });
}

async function sql<T extends RowDataPacket[]>(text: string): Promise<T> {
  admin ??= await connect();
  const [rows] = await admin.query<T>(text);
  return rows;
}

/** kube-eventer's table as its shema.sql makes it (no occurrence key: kube-eventer has none). */
const KUBE_EVENTER_TABLE = `CREATE TABLE kube_event (
  id bigint NOT NULL AUTO_INCREMENT,
  name varchar(255) DEFAULT '', namespace varchar(255) DEFAULT '', event_id varchar(255) DEFAULT '',
  type varchar(255) DEFAULT '', reason varchar(255) DEFAULT '', message varchar(255) DEFAULT '',
  kind varchar(255) DEFAULT '', first_occurrence_time varchar(255) DEFAULT '',
  last_occurrence_time varchar(255) DEFAULT '',
  update_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;

export const mysqlBench: SinkBench = {
  name: 'mysql',
  unit: 'rows',
  service: 'mariadb',
  perEventMethod: 'one prepared INSERT per event, awaited, one connection',
  missing: () => (process.env.MYSQL_URL ? undefined : 'MYSQL_URL is not set'),

  async fresh(run) {
    const database = `bench_${run}`;
    await sql(`CREATE DATABASE ${database} CHARACTER SET utf8mb4`);
    created.push(database);
    const url = server();
    // kube-eventer's DSN: user:password@tcp(host:port)/dbname
    const dsn = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}@tcp(${url.hostname}:${url.port})/${database}`;
    return { database, dsn };
  },

  // kube-eventer's --sink value, as a user migrating from it passes it.
  createSink: (target: Target) => mysql.fromUri(`mysql:?${target.dsn}?charset=utf8`),

  async count(target) {
    const rows = await sql<RowDataPacket[]>(
      `SELECT COUNT(*) AS n FROM ${target.database}.kube_event`,
    );
    return Number(rows[0]?.n ?? 0);
  },

  async perEvent(target, events: readonly KubeEvent[]) {
    const conn = await connect(target.database);
    try {
      await conn.query(KUBE_EVENTER_TABLE);
      const insert =
        'INSERT INTO kube_event (name, namespace, event_id, type, reason, message, kind, first_occurrence_time, last_occurrence_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';
      for (const e of events) {
        await conn.execute(insert, [
          e.involvedObject.name,
          e.involvedObject.namespace,
          e.uid,
          e.type,
          e.reason,
          e.message,
          e.involvedObject.kind,
          e.firstTimestamp,
          e.lastTimestamp,
        ]);
      }
    } finally {
      await conn.end();
    }
  },

  async close() {
    for (const database of created.splice(0)) await sql(`DROP DATABASE IF EXISTS ${database}`);
    await admin?.end();
    admin = undefined;
  },
};
