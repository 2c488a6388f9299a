// npm run demo: a keventer forwarder watching a simulated cluster. The fake API
// server plays ten minutes of a cluster's life in 20 seconds (and drops the
// watch once on the way) while one forwarder feeds two routes:
//   - the console: Warning events, one per object and reason per 5 minutes;
//   - a DingTalk group robot (a local fake that checks signatures, keywords and
//     the 20-a-minute limit like the real one): Warnings, repeats folded into
//     digests by the chat profile's aggregation window.
// Demo time runs `--speed` times faster, so the robot's windows and limits do too.
// With --kubeconfig PATH (or inside a cluster) it watches that cluster, console only.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  byType,
  consoleSink,
  createDedup,
  createForwarder,
  createSinkFromUri,
  EventStream,
  type RouteOptions,
} from '@keventer/core';
import '@keventer/dingtalk';
import {
  clusterScenario,
  FakeDingTalkServer,
  FakeKubeApiServer,
  playScenario,
  summarizeScenario,
} from '@keventer/testing';

const { values: args } = parseArgs({
  options: { kubeconfig: { type: 'string' }, speed: { type: 'string', default: '30' } },
});
const speed = Number(args.speed);
const simulated =
  args.kubeconfig === undefined && process.env.KUBERNETES_SERVICE_HOST === undefined;
const minute = 60_000 / speed; // one minute of demo time

async function simulatedCluster() {
  const server = await FakeKubeApiServer.start();
  const kubeConfig = join(tmpdir(), `keventer-demo-${process.pid}.kubeconfig`);
  await writeFile(kubeConfig, server.kubeconfig());
  const start = Date.now();
  const robot = await FakeDingTalkServer.start({
    token: 'demo-token',
    secret: 'SECdemo-signing-secret',
    keywords: ['k8s'],
    clock: () => start + (Date.now() - start) * speed, // the robot's minute is a demo minute
  });
  return { server, kubeConfig, robot };
}

const cluster = simulated ? await simulatedCluster() : undefined;
const stream = new EventStream({
  ack: 'manual',
  since: 'now',
  ...(cluster ? { kubeConfig: cluster.kubeConfig } : {}),
  ...(args.kubeconfig ? { kubeConfig: args.kubeconfig } : {}),
});
const dedupWindowMs = 5 * minute;
const routes: RouteOptions[] = [
  {
    name: 'console',
    sink: await consoleSink(),
    filter: byType('Warning'),
    dedup: createDedup({ mode: 'cooldown', windowMs: dedupWindowMs }),
  },
];
if (cluster) {
  // kube-eventer's --sink URI, as it is; `label` carries the robot's keyword.
  const { sink } = await createSinkFromUri(cluster.robot.sinkUri({ label: '[k8s] demo cluster' }));
  routes.push({
    name: 'dingtalk',
    sink,
    // The chat profile's windows and rate limit, in demo time.
    delivery: {
      aggregate: { windowMs: 5 * minute },
      request: { rateLimitDurationMs: minute, retryInitialBackoffMs: minute / 10 },
    },
  });
}
const forwarder = createForwarder({ stream, routes });

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

const running = forwarder.run({ stopOn: ['SIGINT', 'SIGTERM'] });
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
  forwarder.stop(); // flushes: open aggregation windows go out as digests
} else {
  console.log(`watching ${args.kubeconfig ?? 'the in-cluster API server'} (Ctrl-C to stop)\n`);
}
const report = await running;
await cluster?.server.close();

const stats = stream.stats;
const consoleRoute = report.routes.console;
console.log(`
summary
  received      ${stats.emitted} occurrences (${stats.repeats} repeated updates ignored)
  filtered out  ${consoleRoute?.filtered} (not Warning)
  deduplicated  ${consoleRoute?.deduplicated} (same object and reason within 5 minutes)
  forwarded     ${consoleRoute?.sent}
  watch         ${stats.watches} watches, ${stats.reconnects} reconnects, ${stats.relists} relists, ${stats.bookmarks} bookmarks
  undelivered   ${report.undelivered}`);

if (cluster) {
  const ding = report.routes.dingtalk;
  const digests = forwarder.metrics().routes.find((r) => r.route === 'dingtalk')?.digests ?? 0;
  console.log(`
what the DingTalk group sees
${cluster.robot.renderChat()}

dingtalk
  warnings      ${ding?.received === undefined ? 0 : ding.received - ding.filtered} occurrences
  messages      ${cluster.robot.messages.length} (${digests} of them digests; the robot allows 20 a minute)
  digested      ${ding?.aggregated} occurrences folded into digests
  delivered     ${ding?.sent} occurrences, ${ding?.deadLettered} dead-lettered, ${ding?.dropped} dropped`);
  await cluster.robot.close();
}
