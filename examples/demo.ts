// npm run demo: a keventer forwarder watching a simulated cluster: the fake API
// server plays ten minutes of a cluster's life in 20 seconds (drops the watch
// once on the way) while EventStream -> Warning filter -> dedup -> console sink
// forwards. With --kubeconfig PATH (or inside a cluster) it watches that
// cluster instead, until Ctrl-C.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  byType,
  consoleSink,
  createDedup,
  EventStream,
  type EventStreamOptions,
} from '@keventer/core';
import {
  clusterScenario,
  FakeKubeApiServer,
  playScenario,
  summarizeScenario,
} from '@keventer/testing';

const { values: args } = parseArgs({
  options: { kubeconfig: { type: 'string' }, speed: { type: 'string', default: '30' } },
});
const speed = Number(args.speed);
const inCluster = process.env.KUBERNETES_SERVICE_HOST !== undefined;
const simulated = args.kubeconfig === undefined && !inCluster;

async function simulatedCluster() {
  const server = await FakeKubeApiServer.start();
  const kubeConfig = join(tmpdir(), `keventer-demo-${process.pid}.kubeconfig`);
  await writeFile(kubeConfig, server.kubeconfig());
  return { server, kubeConfig };
}

const cluster = simulated ? await simulatedCluster() : undefined;
const streamOptions: EventStreamOptions = { since: 'now' };
if (cluster) streamOptions.kubeConfig = cluster.kubeConfig;
else if (args.kubeconfig) streamOptions.kubeConfig = args.kubeconfig;

// The forwarder: the same few lines as examples/forwarder.ts.
const stream = new EventStream(streamOptions);
const isWarning = byType('Warning');
const dedup = createDedup({ mode: 'cooldown', windowMs: 5_000 }); // one alert per object and reason per 5 s
const sink = await consoleSink();
let filtered = 0;
let forwarded = 0;

async function forward(): Promise<void> {
  for await (const event of stream) {
    if (!isWarning(event)) filtered++;
    else if (dedup.accept(event)) {
      await sink.write([event], { signal: AbortSignal.timeout(10_000) });
      forwarded++;
    }
  }
}

async function playTheScenario(server: FakeKubeApiServer): Promise<number> {
  const steps = clusterScenario({ start: new Date() });
  const expected = summarizeScenario(steps);
  const occurrences = expected.created + expected.recurrences;
  console.log(
    `simulating 10 minutes of a cluster in ${Math.round(600 / speed)} s: ${occurrences} event occurrences\n`,
  );
  const dropLater = setTimeout(() => {
    console.log('--- the demo drops the watch connection now: nothing may be lost ---');
    server.faults.dropConnections();
  }, 300_000 / speed);
  await playScenario(server, steps, { speed });
  clearTimeout(dropLater);
  return occurrences;
}

const forwarding = forward();
if (cluster) {
  await new Promise<void>((resolve) => {
    const off = stream.onState((state) => {
      if (state.phase !== 'watching') return;
      off();
      resolve();
    });
  });
  const occurrences = await playTheScenario(cluster.server);
  const deadline = Date.now() + 10_000;
  while (stream.stats.emitted < occurrences && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  stream.stop();
} else {
  console.log(`watching ${args.kubeconfig ?? 'the in-cluster API server'} (Ctrl-C to stop)\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stream.stop());
}
await forwarding;
await sink.close?.();
await cluster?.server.close();

const { stats } = stream;
console.log(`
summary
  received      ${stats.emitted} occurrences (${stats.repeats} repeated updates ignored)
  filtered out  ${filtered} (not Warning)
  deduplicated  ${dedup.stats.suppressed} (same object and reason within 5 s)
  forwarded     ${forwarded}
  watch         ${stats.watches} watches, ${stats.reconnects} reconnects, ${stats.relists} relists, ${stats.bookmarks} bookmarks`);
