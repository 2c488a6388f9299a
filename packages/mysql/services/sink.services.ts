import { isSinkError, type SinkError } from '@keventer/core';
import type { RowDataPacket } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { mysql } from '../src/index.js';
import {
  closing,
  event,
  freshDatabase,
  goDsn,
  insertsSoFar,
  PASSWORD,
  server,
  sql,
  write,
} from './support.js';

const uriFor = (database: string, query = 'charset=utf8') =>
  `mysql:?${goDsn(database)}${query ? `?${query}` : ''}`;

async function failure(promise: Promise<unknown>): Promise<SinkError> {
  const error = await promise.then(
    () => expect.fail('the write succeeded'),
    (err: unknown) => err,
  );
  expect(isSinkError(error)).toBe(true);
  return error as SinkError;
}

describe('kube-eventer layout on MariaDB', () => {
  it("creates kube_event and writes kube-eventer's columns, one INSERT per batch", async () => {
    const db = await freshDatabase();
    const sink = closing(await mysql.fromUri(uriFor(db)));
    const batch = Array.from({ length: 50 }, () => event());
    const before = await insertsSoFar();
    await write(sink, batch);
    // Creating the table is no INSERT: the batch is one statement.
    expect((await insertsSoFar()) - before).toBe(1);
    const rows = await sql<RowDataPacket[]>(
      `SELECT namespace, kind, name, type, reason, message, event_id, first_occurrence_time FROM ${db}.kube_event ORDER BY id`,
    );
    expect(rows).toHaveLength(50);
    expect(rows[0]).toMatchObject({
      namespace: 'shop',
      kind: 'Pod',
      type: 'Warning',
      reason: 'BackOff',
      event_id: batch[0]?.uid,
    });
    expect(rows[0]?.first_occurrence_time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC$/);
  });

  it('writes a replayed batch once: one row per occurrence, a recurrence is a row of its own', async () => {
    const db = await freshDatabase();
    const sink = closing(await mysql.fromUri(uriFor(db)));
    const first = event({ count: 1 });
    const batch = [first, event(), event()];
    await write(sink, batch);
    await write(sink, batch);
    const recurred = event({ metadata: { uid: first.uid }, count: 2 });
    await write(sink, [...batch, recurred]);
    const rows = await sql<RowDataPacket[]>(
      `SELECT event_id, occurrence_id FROM ${db}.kube_event ORDER BY id`,
    );
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((r) => r.occurrence_id)).size).toBe(4);
  });

  it('keeps CJK and emoji, and cuts a message over varchar(255) instead of failing the batch', async () => {
    const db = await freshDatabase();
    const sink = closing(await mysql.fromUri(uriFor(db)));
    const long = `${'镜像拉取失败 😀 '.repeat(40)}end`;
    await write(sink, [event({ message: '拉取镜像失败 ✓ 😀' }), event({ message: long })]);
    const rows = await sql<RowDataPacket[]>(`SELECT message FROM ${db}.kube_event ORDER BY id`);
    expect(rows[0]?.message).toBe('拉取镜像失败 ✓ 😀');
    expect([...String(rows[1]?.message)]).toHaveLength(255);
    expect(rows[1]?.message).toBe(`${[...long].slice(0, 254).join('')}…`);
  });

  it("writes to kube-eventer's own table (no occurrence_id) as kube-eventer did: plain INSERTs", async () => {
    const db = await freshDatabase();
    // kube-eventer's common/mysql/shema.sql, and a table name of its docs.
    await sql(`CREATE TABLE ${db}.k8s_event (
      id bigint(20) NOT NULL AUTO_INCREMENT, namespace varchar(255) DEFAULT '',
      kind varchar(255) DEFAULT '', name varchar(255) DEFAULT '', type varchar(255) DEFAULT '',
      reason varchar(255) DEFAULT '', message varchar(255) DEFAULT '', event_id varchar(255) DEFAULT '',
      first_occurrence_time varchar(255) DEFAULT '', last_occurrence_time varchar(255) DEFAULT '',
      update_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8`);
    const sink = closing(await mysql.fromUri(uriFor(db, 'charset=utf8&table=k8s_event')));
    const batch = [event({ message: 'emoji in utf8mb3 😀' }), event()];
    await write(sink, batch);
    await write(sink, batch); // a replay: without the occurrence key, rows repeat (documented)
    const rows = await sql<RowDataPacket[]>(`SELECT message FROM ${db}.k8s_event ORDER BY id`);
    expect(rows).toHaveLength(4);
    expect(rows[0]?.message).toBe('emoji in utf8mb3 \uFFFD');
    // The documented ALTER makes it idempotent, old rows kept.
    await sql(
      `ALTER TABLE ${db}.k8s_event ADD COLUMN occurrence_id varchar(191) NULL, ADD UNIQUE KEY occurrence (occurrence_id)`,
    );
    const after = closing(await mysql.fromUri(uriFor(db, 'table=k8s_event')));
    await write(after, batch);
    await write(after, batch);
    expect(await sql(`SELECT id FROM ${db}.k8s_event`)).toHaveLength(6);
  });
});

describe('keventer layout', () => {
  it('writes message as text, times as DATETIME(3), count, and is idempotent too', async () => {
    const db = await freshDatabase();
    const sink = closing(await mysql.fromUri(uriFor(db, 'layout=keventer&table=events')));
    const long = 'x'.repeat(3000);
    const e = event({ message: long, count: 7, lastTimestamp: '2024-05-01T10:05:00Z' });
    await write(sink, [e]);
    await write(sink, [e]);
    const rows = await sql<RowDataPacket[]>(
      `SELECT message, count, CAST(last_occurrence_time AS CHAR) AS last FROM ${db}.events`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ message: long, count: 7, last: '2024-05-01 10:05:00.000' });
  });

  it('refuses a table in the other layout, naming the missing columns (permanent)', async () => {
    const db = await freshDatabase();
    const sink = closing(await mysql.fromUri(uriFor(db)));
    await write(sink, [event()]);
    const other = closing(await mysql.fromUri(uriFor(db, 'layout=keventer')));
    const error = await failure(write(other, [event()]));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(
      /has no column count, component, host: it is not in the keventer layout/,
    );
  });
});

describe("the server's errors", () => {
  it('a wrong password is permanent, says what to fix, and shows no password', async () => {
    const db = await freshDatabase();
    const sink = closing(await mysql.fromUri(`mysql:?${goDsn(db, 'Wr0ngPassw0rd')}`));
    const error = await failure(write(sink, [event()]));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/ER_ACCESS_DENIED_ERROR \(1045\).*check the user and password/);
    expect(`${error.message}${error.stack}`).not.toContain('Wr0ngPassw0rd');
    expect(`${error.message}${error.stack}`).not.toContain(PASSWORD);
  });

  it('an unknown database is permanent; a missing table with create_table=false too', async () => {
    const unknown = closing(await mysql.fromUri(uriFor('no_such_db')));
    expect(await failure(write(unknown, [event()]))).toMatchObject({ retryable: false });
    const db = await freshDatabase();
    const noCreate = closing(await mysql.fromUri(uriFor(db, 'create_table=false')));
    const error = await failure(write(noCreate, [event()]));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(
      /'kube_event' does not exist: create it .* or set create_table=true/,
    );
  });

  it('a server that is not there is retryable', async () => {
    const dsn = `${server.username}:${PASSWORD}@tcp(127.0.0.1:1)/k8s`;
    const sink = closing(await mysql.fromUri(`mysql:?${dsn}?timeout=2s`));
    const error = await failure(write(sink, [event()]));
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it('a table dropped while running is created again at the next attempt (retryable meanwhile)', async () => {
    const db = await freshDatabase();
    const sink = closing(await mysql.fromUri(uriFor(db)));
    await write(sink, [event()]);
    await sql(`DROP TABLE ${db}.kube_event`);
    const error = await failure(write(sink, [event()]));
    expect(error.retryable).toBe(true);
    await write(sink, [event()]);
    expect(await sql(`SELECT id FROM ${db}.kube_event`)).toHaveLength(1);
  });
});

describe('the engine', () => {
  it('gets a prompt rejection when it aborts a write stuck on a lock; the row lands once the lock goes', async () => {
    const db = await freshDatabase();
    const sink = closing(await mysql.fromUri(uriFor(db)));
    await write(sink, [event()]);
    await sql(`LOCK TABLES ${db}.kube_event WRITE`);
    try {
      const started = Date.now();
      const error = await failure(sink.write([event()], { signal: AbortSignal.timeout(200) }));
      expect(Date.now() - started).toBeLessThan(2000);
      expect(error.retryable).toBe(true);
      await expect(sink.write([event()], { signal: AbortSignal.abort() })).rejects.toMatchObject({
        retryable: true,
      });
    } finally {
      await sql('UNLOCK TABLES');
    }
    const deadline = Date.now() + 5000;
    while ((await sql(`SELECT id FROM ${db}.kube_event`)).length < 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await sql(`SELECT id FROM ${db}.kube_event`)).toHaveLength(2);
  });
});

describe('connections', () => {
  it('are pooled and closed by close()', async () => {
    const db = await freshDatabase();
    const connections = async () =>
      (
        await sql<RowDataPacket[]>('SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ?', [
          db,
        ])
      ).length;
    const sink = await mysql.fromUri(uriFor(db));
    for (let i = 0; i < 5; i++) await write(sink, [event()]);
    expect(await connections()).toBeGreaterThanOrEqual(1);
    expect(await connections()).toBeLessThanOrEqual(3);
    await sink.close?.();
    const deadline = Date.now() + 5000;
    while ((await connections()) > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(await connections()).toBe(0);
  });
});
