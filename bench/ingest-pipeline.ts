// One side of the ingest benchmark, in its own process so its memory is its own:
// EventStream -> normalize -> filter -> dedup -> a null consumer, from a checkpoint
// at the start of the server's stream. Prints one JSON result line.
import { createDedup, createFilter, EventStream, MemoryCheckpointStore } from '@keventer/core';
import type { ServerInfo } from './ingest-server.js';

const info = JSON.parse(process.argv[2] ?? '{}') as ServerInfo;
const passes = Number(process.argv[3] ?? 2);

async function pass(): Promise<{ rate: number; forwarded: number; cpuMicrosPerEvent: number }> {
  const checkpoint = new MemoryCheckpointStore();
  checkpoint.checkpoint = {
    version: 1,
    resourceVersion: info.startResourceVersion,
    seen: [],
    scope: 'core/v1|||',
    savedAt: new Date().toISOString(),
  };
  const stream = new EventStream({
    kubeConfig: info.kubeconfig,
    checkpoint,
    watchTimeoutSeconds: 600,
    stallTimeoutMs: 700_000,
  });
  const filter = createFilter({ type: 'Warning', exclude: { namespaces: ['kube-system'] } });
  const dedup = createDedup({ mode: 'occurrence' });
  const started = performance.now();
  const cpu = process.cpuUsage();
  let count = 0;
  let forwarded = 0;
  for await (const event of stream) {
    if (filter(event) && dedup.accept(event)) forwarded++;
    if (++count === info.total) break;
  }
  const { user, system } = process.cpuUsage(cpu);
  return {
    rate: info.total / ((performance.now() - started) / 1000),
    forwarded,
    cpuMicrosPerEvent: (user + system) / info.total,
  };
}

let best = { rate: 0, forwarded: 0, cpuMicrosPerEvent: 0 };
for (let i = 0; i < passes; i++) {
  const result = await pass();
  if (result.rate > best.rate) best = result;
}
const peakRssMib = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ ...best, peakRssMib })}\n`);
