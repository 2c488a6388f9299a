// The forwarder of the delivery benchmark, in its own process so its memory is
// its own: EventStream -> createForwarder -> the webhook sink -> the receiver.
//   argv[2]: JSON { kubeconfig, url, bodyFormat, delivery }; stdout: `ready`, then
//   on stdin `stop` one JSON line: the report and the peak RSS.
import { createInterface } from 'node:readline';
import { createForwarder, type DeliveryInput, EventStream } from '@keventer/core';
import { webhook } from '@keventer/webhook';

const config = JSON.parse(process.argv[2] ?? '{}') as {
  kubeconfig: string;
  url: string;
  bodyFormat: 'event' | 'json_array';
  delivery: DeliveryInput;
};
let peakRss = process.memoryUsage.rss();
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 50).unref();

const stream = new EventStream({ kubeConfig: config.kubeconfig, ack: 'manual', since: 'now' });
const sink = await webhook({ endpoint: config.url, body_format: config.bodyFormat });
const forwarder = createForwarder({ stream, routes: [{ sink, delivery: config.delivery }] });
let ready = false;
stream.onState((state) => {
  if (state.phase !== 'watching' || ready) return;
  ready = true;
  process.stdout.write('ready\n');
});
const cpuStart = process.cpuUsage();
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
