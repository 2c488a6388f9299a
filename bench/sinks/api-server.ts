// The fake API server of the sinks benchmark, in its own process so that its
// work is not the forwarder's. On stdin `store N RUN` stores N events (see
// events.ts) at once and answers `{"before": RV}`, the resourceVersion before
// them: a forwarder that resumes from it gets all N from its watch, at once.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { FakeKubeApiServer } from '@keventer/testing';
import { benchEvent } from './events.js';

const server = await FakeKubeApiServer.start({ historyLimit: 1_000_000, eventTtlMs: 86_400_000 });
const kubeconfig = join(tmpdir(), `keventer-bench-sinks-${process.pid}.kubeconfig`);
await writeFile(kubeconfig, server.kubeconfig(), { mode: 0o600 });
process.stdout.write(`${JSON.stringify({ kubeconfig })}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  const [command, count, run = 'run'] = line.split(' ');
  if (command !== 'store') throw new Error(`unknown command '${line}'`);
  const before = server.resourceVersion;
  const events = [];
  for (let seq = 0; seq < Number(count); seq++) events.push(benchEvent(seq, run));
  server.createEvents(events);
  process.stdout.write(`${JSON.stringify({ before })}\n`);
}
await server.close();
