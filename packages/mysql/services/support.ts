// The real MariaDB of the services tier: scripts/mariadb/start.sh writes
// MYSQL_URL (mysql://user:password@127.0.0.1:port/db; the user may create databases).
import { randomBytes } from 'node:crypto';
import { type KubeEvent, normalizeEvent, type Sink } from '@keventer/core';
import { buildEvent } from '@keventer/testing';
import { type Connection, createConnection, type RowDataPacket } from 'mysql2/promise';
import { afterAll, afterEach } from 'vitest';

const url = process.env.MYSQL_URL;
if (!url) throw new Error('MYSQL_URL is not set: run npm run test:services (scripts/services.sh)');
export const server = new URL(url);
export const PASSWORD = decodeURIComponent(server.password);

/** kube-eventer's DSN form for `database`: user:password@tcp(host:port)/database. */
export function goDsn(database: string, password = PASSWORD): string {
  return `${server.username}:${password}@tcp(${server.hostname}:${server.port})/${database}`;
}

let admin: Connection | undefined;
/** A connection for the test's own queries (checking rows, making tables). */
export async function sql<T extends RowDataPacket[]>(
  text: string,
  values: unknown[] = [],
): Promise<T> {
  admin ??= await createConnection({
    host: server.hostname,
    port: Number(server.port),
    user: server.username,
    password: PASSWORD,
    charset: 'UTF8MB4_UNICODE_CI',
  });
  const [rows] = await admin.query<T>(text, values);
  return rows;
}

const databases: string[] = [];
/** A database of its own for each test, dropped after the file. */
export async function freshDatabase(): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await sql(`CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
  databases.push(name);
  return name;
}

const sinks: Sink[] = [];
/** Closes the sink after the test. */
export function closing<S extends Sink>(sink: S): S {
  sinks.push(sink);
  return sink;
}
afterEach(async () => {
  for (const sink of sinks.splice(0)) await sink.close?.();
});
afterAll(async () => {
  for (const name of databases.splice(0)) await sql(`DROP DATABASE IF EXISTS ${name}`);
  await admin?.end();
  admin = undefined;
});

let next = 0;
/** An event with a uid of its own (a real cluster's), recurring `count` times. */
export function event(overrides: Parameters<typeof buildEvent>[0] = {}): KubeEvent {
  next += 1;
  return normalizeEvent(
    buildEvent({
      metadata: { uid: `uid-${process.pid}-${next}` },
      type: 'Warning',
      reason: 'BackOff',
      message: `Back-off restarting failed container ${next}`,
      involvedObject: { kind: 'Pod', namespace: 'shop', name: `web-${next}` },
      ...overrides,
    }),
  );
}

export const write = (sink: Sink, batch: readonly KubeEvent[]) =>
  sink.write(batch, { signal: AbortSignal.timeout(20_000) });

/** The server's INSERT statements so far (Com_insert), to count requests per batch. */
export async function insertsSoFar(): Promise<number> {
  const rows = await sql<RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Com_insert'");
  return Number(rows[0]?.Value ?? 0);
}
