// The forwarder side of the ingest benchmark, as a user runs it: the built
// packages, Node's default flags, the pod's service account as configuration,
// createForwarder with one route (filter, dedup, bounded buffer, batcher,
// acknowledgements, a checkpoint file) into a sink that does nothing. It resumes
// from a checkpoint at the start of the server's stream, so the watch replays
// every stored event, and stops when the sink has had them all.
// Prints one JSON line: rate, CPU per event, peak RSS.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createDedup,
  createFilter,
  createForwarder,
  EventStream,
  FileCheckpointStore,
  inClusterConfig,
  type Sink,
} from '@keventer/core';
import type { ServerInfo } from './ingest-server.js';

const info = JSON.parse(process.argv[2] ?? '{}') as ServerInfo;

const checkpoint = new FileCheckpointStore(
  join(mkdtempSync(join(tmpdir(), 'keventer-bench-')), 'checkpoint.json'),
);
await checkpoint.save({
  version: 1,
  resourceVersion: info.startResourceVersion,
  seen: [],
  scope: 'core/v1|||',
  savedAt: new Date().toISOString(),
});

let delivered = 0;
let allDelivered: () => void = () => {};
const done = new Promise<void>((resolve) => {
  allDelivered = resolve;
});
const nullSink: Sink = {
  name: 'null',
  async write(batch) {
    delivered += batch.length;
    if (delivered >= info.total) allDelivered();
  },
};

const stream = new EventStream({
  kubeConfig: inClusterConfig({ serviceAccountDir: info.serviceAccountDir, server: info.url }),
  ack: 'manual',
  checkpoint,
  watchTimeoutSeconds: 600,
  stallTimeoutMs: 700_000,
});
const forwarder = createForwarder({
  stream,
  routes: [
    {
      name: 'all-but-kube-system',
      sink: nullSink,
      filter: createFilter({ exclude: { namespaces: ['kube-system'] } }),
      dedup: createDedup({ mode: 'occurrence' }),
    },
  ],
});

const started = performance.now();
const cpu = process.cpuUsage();
const running = forwarder.run();
await done;
const seconds = (performance.now() - started) / 1000;
const { user, system } = process.cpuUsage(cpu);
forwarder.stop();
await running;
process.stdout.write(
  `${JSON.stringify({
    rate: info.total / seconds,
    delivered,
    cpuMicrosPerEvent: (user + system) / info.total,
    peakRssMib: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
