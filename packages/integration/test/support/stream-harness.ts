import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEvent, FakeKubeApiServer } from '@keventer/testing';
import { afterEach } from 'vitest';
import { EventStream } from '../../../core/src/stream/event-stream.js';
import type { EventStreamOptions } from '../../../core/src/stream/options.js';
import { recordStream } from './record-stream.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export async function startServer(options: ConstructorParameters<typeof Object>[0] = {}) {
  const server = await FakeKubeApiServer.start(options as never);
  cleanups.push(() => server.close());
  return server;
}

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'keventer-test-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export async function kubeconfigFor(server: FakeKubeApiServer): Promise<string> {
  const path = join(await tempDir(), 'kubeconfig');
  await writeFile(path, server.kubeconfig());
  return path;
}

/** Runs an EventStream in the background and records every emitted occurrence. */
export async function runStream(server: FakeKubeApiServer, options: EventStreamOptions = {}) {
  const stream = new EventStream({
    kubeConfig: await kubeconfigFor(server),
    backoff: { initialMs: 20, maxMs: 200 },
    ...options,
  });
  const run = recordStream(stream);
  cleanups.push(() => run.stop().catch(() => {}));
  return run;
}

/** The occurrence id of a stored core/v1 object, as EventStream will report it. */
export function idOf(obj: {
  metadata?: { uid?: string };
  count?: unknown;
  lastTimestamp?: string | null;
}): string {
  return `${obj.metadata?.uid}/${Number(obj.count ?? 1)}/${Date.parse(obj.lastTimestamp ?? '')}`;
}

export { buildEvent };

/** Duplicates in a list of ids. */
export function repeated(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const repeats: string[] = [];
  for (const id of ids) {
    if (seen.has(id)) repeats.push(id);
    seen.add(id);
  }
  return repeats;
}
