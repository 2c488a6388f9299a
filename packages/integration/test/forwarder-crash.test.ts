import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { FakeHttpReceiver } from '@keventer/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildEvent,
  idOf,
  kubeconfigFor,
  repeated,
  startServer,
  tempDir,
} from './support/stream-harness.js';
import { until } from './support/until.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** Starts the forwarder in its own process and resolves once it watches; `lines` reads on. */
async function startForwarder(
  args: string[],
): Promise<ChildProcess & { lines: AsyncIterator<string> }> {
  const script = new URL('./support/forwarder-child.ts', import.meta.url).pathname;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@keventer/source', script, ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[
    Symbol.asyncIterator
  ]();
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    if (next.value === 'watching') return Object.assign(child, { lines });
  }
  throw new Error('the forwarder exited before it watched');
}

/**
 * True when the checkpoint file's seen set holds each of `ids` ("uid/count/lastMs").
 * A uid with an occurrence not among them is left out: the checkpoint omits the
 * uids still in flight, and which of those are is not visible from here.
 */
function checkpointHolds(path: string, ids: readonly string[], all: readonly string[]): boolean {
  if (!existsSync(path)) return false;
  const { seen } = JSON.parse(readFileSync(path, 'utf8')) as {
    seen: Array<[string, number, number]>;
  };
  const saved = new Map(seen.map(([uid, count]) => [uid, count]));
  const uidOf = (id: string) => id.split('/')[0] as string;
  const elsewhere = new Set(all.filter((id) => !ids.includes(id)).map(uidOf));
  return ids.every((id) => {
    const [uid = '', count = '0'] = id.split('/');
    return elsewhere.has(uid) || (saved.get(uid) ?? 0) >= Number(count);
  });
}

describe('a forwarder killed with SIGKILL and restarted from its file checkpoint', () => {
  it('loses nothing, and repeats only the batch that was in flight', async () => {
    const server = await startServer();
    const receiver = await FakeHttpReceiver.start({ status: 200 });
    const delivered = () => receiver.requests.flatMap((r) => JSON.parse(r.body) as string[]);
    const args = [
      await kubeconfigFor(server),
      receiver.url,
      join(await tempDir(), 'checkpoint.json'),
    ];
    const expected: string[] = [];
    const pod = (name: string) => ({ kind: 'Pod', namespace: 'shop', name });
    try {
      const first = await startForwarder(args);
      for (let i = 0; i < 40; i++) {
        const created = server.createEvent(buildEvent({ involvedObject: pod(`a${i}`) }));
        expected.push(idOf(created));
        if (i % 4 === 0) {
          const { namespace = '', name = '' } = created.metadata ?? {};
          expected.push(
            idOf(server.recurEvent(namespace, name, { at: new Date(Date.now() + 1000) })),
          );
        }
      }
      await until(() => delivered().length >= 15);
      // From now on the receiver takes requests but never answers: one batch is in flight.
      receiver.defaultAnswer = 'hang';
      const answered = receiver.requests.length;
      await until(() => receiver.requests.length > answered);
      // Every answered batch is acknowledged and in the saved checkpoint before the kill.
      const answeredIds = receiver.requests
        .slice(0, answered)
        .flatMap((r) => JSON.parse(r.body) as string[]);
      await until(() => checkpointHolds(args[2] as string, answeredIds, expected), 10_000);
      const inFlight = receiver.requests
        .slice(answered)
        .flatMap((r) => JSON.parse(r.body) as string[]);
      first.kill('SIGKILL');
      await new Promise((resolve) => first.once('exit', resolve));
      receiver.defaultAnswer = { status: 200 };

      // While it is down, the cluster goes on.
      for (let i = 0; i < 20; i++)
        expected.push(idOf(server.createEvent(buildEvent({ involvedObject: pod(`b${i}`) }))));

      await startForwarder(args);
      await until(() => new Set(delivered()).size >= new Set(expected).size);
      await new Promise((resolve) => setTimeout(resolve, 300));

      expect(new Set(delivered())).toEqual(new Set(expected)); // nothing lost, nothing foreign
      // Only the batch in flight at the crash is delivered twice.
      expect(repeated(delivered()).sort()).toEqual([...inFlight].sort());
      const repeats = repeated(delivered());
      console.log(
        `delivered ${delivered().length} for ${expected.length} occurrences: ${repeats.length} repeated after the crash`,
      );
    } finally {
      await receiver.close();
    }
  }, 60_000);
});

describe('a forwarder stopped with SIGTERM', () => {
  it('flushes what it holds, saves the checkpoint and exits; a restart repeats nothing', async () => {
    const server = await startServer();
    const receiver = await FakeHttpReceiver.start({ status: 200 });
    const delivered = () => receiver.requests.flatMap((r) => JSON.parse(r.body) as string[]);
    // Batches wait a minute to fill: only the shutdown can send these events.
    const holdBatches = JSON.stringify({ batch: { maxEvents: 100, timeoutMs: 60_000 } });
    const args = [
      await kubeconfigFor(server),
      receiver.url,
      join(await tempDir(), 'checkpoint.json'),
      holdBatches,
    ];
    try {
      const first = await startForwarder(args);
      const expected = Array.from({ length: 10 }, (_, i) =>
        idOf(server.createEvent(buildEvent({ involvedObject: { kind: 'Pod', name: `t${i}` } }))),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(receiver.requests).toHaveLength(0);
      const exited = new Promise<number | null>((resolve) => first.once('exit', resolve));
      first.kill('SIGTERM');
      const report = JSON.parse((await first.lines.next()).value as string);
      expect(await exited).toBe(0);
      expect(delivered().sort()).toEqual([...expected].sort());
      expect(report).toMatchObject({ undelivered: 0, routes: { receiver: { sent: 10 } } });

      const second = await startForwarder(args);
      await new Promise((resolve) => setTimeout(resolve, 500));
      second.kill('SIGTERM');
      await second.lines.next();
      expect(delivered()).toHaveLength(10); // the checkpoint covered every flushed event
    } finally {
      await receiver.close();
    }
  }, 60_000);
});
