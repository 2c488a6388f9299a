// The forwarder of the delivery benchmark, in its own process so its memory is
// its own: EventStream -> createForwarder -> the webhook sink -> the receiver.
//   argv[2]: JSON { kubeconfig, url, bodyFormat, delivery, resumeFrom? }; stdout:
//   `{"startedAt"}` as it starts the stream (from `resumeFrom`'s resourceVersion if
//   given, so stored events are replayed by the watch), `ready` once watching, then
//   on stdin `stop` one JSON line: the report and the peak RSS.
//   BENCH_DEBUG=1: the stream's and forwarder's logs, and its numbers every second, on stderr.
import { createInterface } from 'node:readline';
import {
  consoleLogger,
  createForwarder,
  type DeliveryInput,
  EventStream,
  MemoryCheckpointStore,
} from '@keventer/core';
import { webhook } from '@keventer/webhook';

const config = JSON.parse(process.argv[2] ?? '{}') as {
  kubeconfig: string;
  url: string;
  bodyFormat: 'event' | 'json_array';
  delivery: DeliveryInput;
  resumeFrom?: string;
};
let peakRss = process.memoryUsage.rss();
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 50).unref();

const checkpoint = new MemoryCheckpointStore();
if (config.resumeFrom) {
  checkpoint.checkpoint = {
    version: 1,
    resourceVersion: config.resumeFrom,
    seen: [],
    scope: 'core/v1|||',
    savedAt: new Date().toISOString(),
  };
}
const stream = new EventStream({
  kubeConfig: config.kubeconfig,
  ack: 'manual',
  since: 'now',
  checkpoint,
  ...(process.env.BENCH_DEBUG ? { logger: consoleLogger('info') } : {}),
});
const sink = await webhook({ endpoint: config.url, body_format: config.bodyFormat });
const forwarder = createForwarder({
  stream,
  routes: [{ sink, delivery: config.delivery }],
  ...(process.env.BENCH_DEBUG ? { logger: consoleLogger('info') } : {}),
});
if (process.env.BENCH_DEBUG) {
  setInterval(() => {
    const { stream: s, routes, unacknowledged } = forwarder.metrics();
    const r = routes[0];
    console.error(
      `saves=${s.checkpointSaves} phase=${s.phase} emitted=${s.emitted} unacked=${unacknowledged} queue=${r?.queueDepth} inFlight=${r?.inFlight} sent=${r?.sent} retries=${r?.retries}`,
    );
  }, 1000).unref();
}
let ready = false;
stream.onState((state) => {
  if (state.phase !== 'watching' || ready) return;
  ready = true;
  process.stdout.write('ready\n');
});
const cpuStart = process.cpuUsage();
process.stdout.write(
  `${JSON.stringify({ startedAt: performance.timeOrigin + performance.now() })}\n`,
);
const running = forwarder.run();
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'stop') break;
}
forwarder.stop();
const report = await running;
const cpu = process.cpuUsage(cpuStart);
process.stdout.write(
  `${JSON.stringify({
    report,
    peakRssMib: peakRss / 2 ** 20,
    cpuMs: (cpu.user + cpu.system) / 1000,
  })}\n`,
);
process.exit(0);
