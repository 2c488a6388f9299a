// npm run bench:ingest: the forwarder as users run it (built packages, Node's
// default flags, a pod's service account) ingesting a 200k-event watch burst,
// against bare line-split + JSON.parse of the same stream in the same run; then
// an idle forwarder's RSS and its time from process start to the open watch.
// The fake API servers, the forwarder and the baseline each run in their own
// process, so each memory figure is that side's own.
import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import type { ServerInfo } from './ingest-server.js';

const total = Number(process.env.BENCH_EVENTS ?? 200_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const run = promisify(execFile);
const script = (name: string) => new URL(`./${name}.js`, import.meta.url).pathname;

async function startServer(events: number): Promise<{ info: ServerInfo; stop: () => void }> {
  const child = spawn(process.execPath, [script('ingest-server'), String(events)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const first = await lines.next();
  return { info: JSON.parse(first.value as string) as ServerInfo, stop: () => child.stdin.end() };
}

/** Runs one side in a fresh process with Node's default flags; returns its JSON line. */
async function side<T>(name: string, info: ServerInfo): Promise<T> {
  const { stdout } = await run(process.execPath, [script(name), JSON.stringify(info)], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout) as T;
}

interface Ingest {
  rate: number;
  cpuMicrosPerEvent: number;
  peakRssMib: number;
  delivered?: number;
}
interface Idle {
  firstWatchMs: number;
  idleRssMib: number;
  heapUsedMib: number;
}

const describe = (r: Ingest) =>
  `${Math.round(r.rate)} events/s, ${r.cpuMicrosPerEvent.toFixed(1)} µs CPU/event, peak RSS ${Math.round(r.peakRssMib)} MiB`;

const burst = await startServer(total);
console.log(`fake API server (HTTPS) ready with ${total} events; ${rounds} rounds`);
const best = { forwarder: 0, baseline: 0, peakRss: 0 };
for (let round = 1; round <= rounds; round++) {
  const baseline = await side<Ingest>('ingest-baseline', burst.info);
  const forwarder = await side<Ingest>('ingest-forwarder', burst.info);
  console.log(
    `round ${round}: baseline ${describe(baseline)}; forwarder ${describe(forwarder)}, ${forwarder.delivered} of ${total} delivered`,
  );
  best.baseline = Math.max(best.baseline, baseline.rate);
  best.forwarder = Math.max(best.forwarder, forwarder.rate);
  best.peakRss = Math.max(best.peakRss, forwarder.peakRssMib);
}
burst.stop();

const quiet = await startServer(0);
const idle = await side<Idle>('ingest-idle', quiet.info);
quiet.stop();
console.log(
  `idle forwarder (one webhook route, watching): RSS ${idle.idleRssMib.toFixed(1)} MiB (heap used ${idle.heapUsedMib.toFixed(1)} MiB), watch open ${Math.round(idle.firstWatchMs)} ms after process start`,
);
console.log(
  `ingest forwarder_events/s=${Math.round(best.forwarder)} baseline_events/s=${Math.round(best.baseline)} ratio=${(best.forwarder / best.baseline).toFixed(2)} burst_peak_rss_mib=${Math.round(best.peakRss)} idle_rss_mib=${Math.round(idle.idleRssMib)} first_watch_ms=${Math.round(idle.firstWatchMs)}`,
);
