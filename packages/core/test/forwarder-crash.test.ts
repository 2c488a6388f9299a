import { type ChildProcess, spawn } from 'node:child_process';
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

/** Starts the forwarder in its own process and resolves once it watches. */
async function startForwarder(args: string[]): Promise<ChildProcess> {
  const script = new URL('./support/forwarder-child.ts', import.meta.url).pathname;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@keventer/source', script, ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) if (line === 'watching') return child;
  throw new Error('the forwarder exited before it watched');
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
      await new Promise((resolve) => setTimeout(resolve, 300)); // every answered batch is checkpointed by now
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
