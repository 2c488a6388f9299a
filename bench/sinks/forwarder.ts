// The forwarder of the sinks benchmark, in its own process so its CPU and memory
// are its own: EventStream -> createForwarder -> one sink at its defaults.
//   argv[2]: JSON { kubeconfig, sink, target, resumeFrom, expected }
// It resumes from `resumeFrom` (the watch replays the stored events). Its stdout:
// `{"watching":true}` once the watch is open, then, once the route has sent
// `expected` events, the time from the watch being open to the last acknowledged
// write (the startup, loading the Kubernetes client, apart), its CPU time over
// that time, peak RSS and the route's numbers.
// BENCH_DEBUG=1 prints the route's numbers every second on stderr. BENCH_DELIVERY (JSON
// delivery settings over the sink's defaults) is for trying other defaults.
import {
  createForwarder,
  type DeliveryInput,
  EventStream,
  MemoryCheckpointStore,
} from '@keventer/core';
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
const delivery = process.env.BENCH_DELIVERY
  ? (JSON.parse(process.env.BENCH_DELIVERY) as DeliveryInput)
  : undefined;
const forwarder = createForwarder({
  stream,
  routes: [{ sink, ...(delivery ? { delivery } : {}) }],
});
const route = () => forwarder.metrics().routes[0];
if (process.env.BENCH_DEBUG) {
  setInterval(() => {
    const r = route();
    console.error(`sent=${r?.sent} queue=${r?.queueDepth} inFlight=${r?.inFlight}`);
  }, 1000).unref();
}

const startedAt = performance.now();
let cpuStart = process.cpuUsage();
let watchingAt: number | undefined;
stream.onState((state) => {
  if (state.phase !== 'watching' || watchingAt !== undefined) return;
  watchingAt = performance.now();
  cpuStart = process.cpuUsage();
  process.stdout.write('{"watching":true}\n');
});
const running = forwarder.run();
// Polled, not awaited on an event: 100k events make ~100-200 writes; 5 ms is under 1% of the run.
// Gives up when events fail or nothing is sent for STALL_MS: the runner reports what was.
const STALL_MS = 60_000;
let progressAt = performance.now();
let lastSent = 0;
while ((route()?.sent ?? 0) < config.expected) {
  const r = route();
  if ((r?.deadLettered ?? 0) + (r?.dropped ?? 0) > 0) break;
  if ((r?.sent ?? 0) !== lastSent) {
    lastSent = r?.sent ?? 0;
    progressAt = performance.now();
  } else if (performance.now() - progressAt > STALL_MS) break;
  await new Promise((resolve) => setTimeout(resolve, 5));
}
const doneAt = performance.now();
const elapsedMs = doneAt - (watchingAt ?? startedAt);
const cpu = process.cpuUsage(cpuStart);
const metrics = route();
forwarder.stop();
await running;
process.stdout.write(
  `${JSON.stringify({
    elapsedMs,
    startupMs: (watchingAt ?? doneAt) - startedAt,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMib: peakRss / 2 ** 20,
    sent: metrics?.sent ?? 0,
    received: metrics?.received ?? 0,
    queueDepth: metrics?.queueDepth ?? 0,
    failed: (metrics?.deadLettered ?? 0) + (metrics?.dropped ?? 0),
    retries: metrics?.retries,
    writes: metrics?.sendDuration.count,
    writeMsMean: metrics ? metrics.sendDuration.sumMs / Math.max(1, metrics.sendDuration.count) : 0,
  })}\n`,
);
process.exit(0);
