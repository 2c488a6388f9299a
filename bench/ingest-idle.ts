// The idle side of the ingest benchmark: a forwarder as a pod runs it (the
// service account as configuration, one webhook route) watching a cluster with
// nothing to say. Prints one JSON line: the time from process start to the
// watch being open, and the RSS once it has settled.
import { createForwarder, EventStream, inClusterConfig } from '@keventer/core';
import { webhook } from '@keventer/webhook';
import type { ServerInfo } from './ingest-server.js';

const info = JSON.parse(process.argv[2] ?? '{}') as ServerInfo;
/** How long the RSS is watched after the watch opens: startup garbage is collected by then. */
const SETTLE_MS = Number(process.env.BENCH_IDLE_SETTLE_MS ?? 5000);

const stream = new EventStream({
  kubeConfig: inClusterConfig({ serviceAccountDir: info.serviceAccountDir, server: info.url }),
  ack: 'manual',
});
const forwarder = createForwarder({
  stream,
  routes: [{ sink: await webhook({ endpoint: 'http://127.0.0.1:9/events', method: 'POST' }) }],
});
const watching = new Promise<number>((resolve) => {
  stream.onState((state) => {
    // performance.now() counts from the process's start.
    if (state.phase === 'watching') resolve(performance.now());
  });
});
const running = forwarder.run();
const firstWatchMs = await watching;
const samples: number[] = [];
const settled = Date.now() + SETTLE_MS;
while (Date.now() < settled) {
  samples.push(process.memoryUsage.rss());
  await new Promise((resolve) => setTimeout(resolve, 250));
}
forwarder.stop();
await running;
process.stdout.write(
  `${JSON.stringify({
    firstWatchMs,
    idleRssMib: (samples.at(-1) ?? 0) / 1048576,
    heapUsedMib: process.memoryUsage().heapUsed / 1048576,
  })}\n`,
);
