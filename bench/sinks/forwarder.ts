// The forwarder of the sinks benchmark, in its own process so its CPU and memory
// are its own: EventStream -> createForwarder -> one sink at its defaults.
//   argv[2]: JSON { kubeconfig, sink, target, resumeFrom, expected }
// It resumes from `resumeFrom` (the watch replays the stored events), and once the
// route has sent `expected` events prints one JSON line: the time from starting
// the stream to the last acknowledged write, its CPU time and peak RSS, the route's
// numbers. BENCH_DEBUG=1 prints the route's numbers every second on stderr.
import { createForwarder, EventStream, MemoryCheckpointStore } from '@keventer/core';
import { sinkBench } from './registry.js';
import type { Target } from './types.js';

const config = JSON.parse(process.argv[2] ?? '{}') as {
  kubeconfig: string;
  sink: string;
  target: Target;
  resumeFrom: string;
  expected: number;
};
let peakRss = process.memoryUsage.rss();
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 50).unref();

const checkpoint = new MemoryCheckpointStore();
checkpoint.checkpoint = {
  version: 1,
  resourceVersion: config.resumeFrom,
  seen: [],
  scope: 'core/v1|||',
  savedAt: new Date().toISOString(),
};
const sink = await sinkBench(config.sink).createSink(config.target);
const stream = new EventStream({ kubeConfig: config.kubeconfig, ack: 'manual', checkpoint });
const forwarder = createForwarder({ stream, routes: [{ sink }] });
const route = () => forwarder.metrics().routes[0];
if (process.env.BENCH_DEBUG) {
  setInterval(() => {
    const r = route();
    console.error(`sent=${r?.sent} queue=${r?.queueDepth} inFlight=${r?.inFlight}`);
  }, 1000).unref();
}

const cpuStart = process.cpuUsage();
const startedAt = performance.now();
const running = forwarder.run();
// Polled, not awaited on an event: 100k events make ~100-200 writes; 5 ms is under 1% of the run.
while ((route()?.sent ?? 0) < config.expected) {
  const r = route();
  if ((r?.deadLettered ?? 0) + (r?.dropped ?? 0) > 0) break;
  await new Promise((resolve) => setTimeout(resolve, 5));
}
const elapsedMs = performance.now() - startedAt;
const cpu = process.cpuUsage(cpuStart);
const metrics = route();
forwarder.stop();
await running;
process.stdout.write(
  `${JSON.stringify({
    elapsedMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMib: peakRss / 2 ** 20,
    sent: metrics?.sent,
    failed: (metrics?.deadLettered ?? 0) + (metrics?.dropped ?? 0),
    retries: metrics?.retries,
    writes: metrics?.sendDuration.count,
    writeMsMean: metrics ? metrics.sendDuration.sumMs / Math.max(1, metrics.sendDuration.count) : 0,
  })}\n`,
);
process.exit(0);
