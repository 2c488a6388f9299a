import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildEvent, FakeKubeApiServer, startForwarding } from '@keventer/testing';
import type { RowDataPacket } from 'mysql2/promise';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { mysql } from '../src/index.js';
import { freshDatabase, goDsn, sql } from './support.js';

const rowCount = async (db: string) =>
  Number((await sql<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${db}.kube_event`))[0]?.n ?? 0);
/** Polls the table: resolves once `predicate` holds for its row count. */
async function untilRows(db: string, predicate: (n: number) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let n = await rowCount(db).catch(() => 0);
  while (!predicate(n)) {
    if (Date.now() > deadline) throw new Error(`timed out with ${n} rows`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    n = await rowCount(db).catch(() => 0);
  }
  return n;
}

const pod = (name: string) => ({ kind: 'Pod', namespace: 'shop', name });
/** The occurrence id EventStream gives a stored core/v1 object. */
const idOf = (obj: {
  metadata?: { uid?: string };
  count?: unknown;
  lastTimestamp?: string | null;
}) => `${obj.metadata?.uid}/${Number(obj.count ?? 1)}/${Date.parse(obj.lastTimestamp ?? '')}`;

describe('a forwarder from the fake API server to MariaDB', () => {
  it('writes 10,000 events, each once, in multi-row INSERTs', async () => {
    const db = await freshDatabase();
    const sink = await mysql.fromUri(`mysql:?${goDsn(db)}?charset=utf8`);
    const forwarding = await startForwarding([{ sink }], { registerCleanup: onTestFinished });
    const started = performance.now();
    for (let i = 0; i < 10_000; i++)
      forwarding.api.createEvent(buildEvent({ involvedObject: pod(`p${i}`) }));
    await untilRows(db, (n) => n >= 10_000, 60_000);
    const seconds = (performance.now() - started) / 1000;
    const report = await forwarding.stop();
    expect(await rowCount(db)).toBe(10_000);
    const distinct = await sql<RowDataPacket[]>(
      `SELECT COUNT(DISTINCT occurrence_id) AS n FROM ${db}.kube_event`,
    );
    expect(Number(distinct[0]?.n)).toBe(10_000);
    expect(report.routes.mysql?.sent).toBe(10_000);
    console.log(
      `mysql: 10000 events from the fake API server to MariaDB in ${seconds.toFixed(2)} s (${Math.round(10_000 / seconds)} rows/s)`,
    );
  }, 90_000);
});

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** The forwarder in its own process, once it watches; `lines` reads on. */
async function startChild(args: string[]) {
  const script = new URL('./support/forwarder-child.ts', import.meta.url).pathname;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@keventer/source', script, ...args],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  const wrote: string[][] = [];
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const watching = new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line === 'watching') resolve();
      if (line.startsWith('wrote ')) wrote.push(JSON.parse(line.slice(6)) as string[]);
    });
    child.once('exit', () => reject(new Error('the forwarder exited before it watched')));
  });
  await watching;
  return Object.assign(child, { wrote });
}

/** True when the checkpoint file's seen set holds each of `ids` ("uid/count/lastMs"). */
async function checkpointHolds(path: string, ids: readonly string[]): Promise<boolean> {
  const text = await readFile(path, 'utf8').catch(() => '');
  if (text === '') return false;
  const { seen } = JSON.parse(text) as { seen: Array<[string, number, number]> };
  const saved = new Map(seen.map(([uid, count]) => [uid, count]));
  return ids.every((id) => {
    const [uid = '', count = '0'] = id.split('/');
    return (saved.get(uid) ?? 0) >= Number(count);
  });
}

describe('a forwarder killed with SIGKILL mid-batch into MariaDB, restarted from its checkpoint', () => {
  it('ends with every occurrence exactly once in the table', async () => {
    const db = await freshDatabase();
    const api = await FakeKubeApiServer.start();
    const dir = await mkdtemp(join(tmpdir(), 'keventer-mysql-crash-'));
    onTestFinished(async () => {
      await sql('UNLOCK TABLES').catch(() => {});
      await api.close();
      await rm(dir, { recursive: true, force: true });
    });
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(kubeconfig, api.kubeconfig());
    const args = [kubeconfig, `mysql:?${goDsn(db)}?charset=utf8`, join(dir, 'checkpoint.json')];
    const expected: string[] = [];
    const create = (name: string) => {
      const created = api.createEvent(buildEvent({ involvedObject: pod(name) }));
      expected.push(idOf(created));
      return created;
    };

    const first = await startChild(args);
    for (let i = 0; i < 40; i++) {
      const created = create(`a${i}`);
      if (i % 4 === 0) {
        const { namespace = '', name = '' } = created.metadata ?? {};
        expected.push(idOf(api.recurEvent(namespace, name, { at: new Date(Date.now() + 1000) })));
      }
    }
    await untilRows(db, (n) => n >= expected.length);
    // Written and acknowledged, so in the saved checkpoint: without one a restart starts at 'now'.
    const written = [...expected];
    const checkpoint = join(dir, 'checkpoint.json');
    for (const deadline = Date.now() + 10_000; !(await checkpointHolds(checkpoint, written)); ) {
      if (Date.now() > deadline) throw new Error('the checkpoint never held the written rows');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // The test's own session holds the table: the next INSERT waits, in flight.
    await sql(`LOCK TABLES ${db}.kube_event WRITE`);
    for (let i = 0; i < 10; i++) create(`b${i}`);
    const waitingInsert = async () =>
      (
        await sql<RowDataPacket[]>(
          "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO LIKE 'INSERT INTO%'",
          [db],
        )
      ).length;
    let inFlight = 0;
    for (const deadline = Date.now() + 10_000; inFlight === 0 && Date.now() < deadline; ) {
      inFlight = await waitingInsert();
      if (inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(inFlight).toBeGreaterThan(0);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    // The killed client's INSERT may still run once the lock is gone: let it finish first,
    // so what the restart writes again is already in the table.
    await sql('UNLOCK TABLES');
    for (
      const deadline = Date.now() + 10_000;
      (await waitingInsert()) > 0 && Date.now() < deadline;
    )
      await new Promise((resolve) => setTimeout(resolve, 20));
    const before = new Set(
      (await sql<RowDataPacket[]>(`SELECT occurrence_id FROM ${db}.kube_event`)).map(
        (r) => r.occurrence_id as string,
      ),
    );

    // While it is down, the cluster goes on.
    for (let i = 0; i < 20; i++) create(`c${i}`);
    const second = await startChild(args);
    await untilRows(db, (n) => n >= new Set(expected).size);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a late duplicate would show now

    const rows = await sql<RowDataPacket[]>(`SELECT occurrence_id FROM ${db}.kube_event`);
    const ids = rows.map((r) => r.occurrence_id as string);
    expect(ids).toHaveLength(new Set(expected).size); // one row per occurrence
    expect(new Set(ids)).toEqual(new Set(expected)); // nothing lost, nothing foreign
    const rewritten = second.wrote.flat().filter((id) => before.has(id));
    console.log(
      `mysql crash: ${ids.length} occurrences, ${rewritten.length} written again after the restart, still one row each`,
    );
  }, 90_000);
});
