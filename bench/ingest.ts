// npm run bench:ingest: how fast EventStream -> normalize -> filter -> dedup
// ingests a watch stream of 200k events, against bare line-split + JSON.parse of
// the same stream. The fake API server, the pipeline and the baseline each run in
// their own process, so each memory figure is that side's own.
import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import type { ServerInfo } from './ingest-server.js';

const total = Number(process.env.BENCH_EVENTS ?? 200_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
/** The heap settings docs/performance.md recommends for a forwarder process. */
const TUNED_HEAP = ['--max-semi-space-size=1', '--max-old-space-size=96'];
const run = promisify(execFile);
const script = (name: string) => new URL(`./${name}.js`, import.meta.url).pathname;

async function startServer(): Promise<{ info: ServerInfo; stop: () => void }> {
  const child = spawn(process.execPath, [script('ingest-server'), String(total)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const first = await lines.next();
  return { info: JSON.parse(first.value as string) as ServerInfo, stop: () => child.stdin.end() };
}

async function side(name: string, info: ServerInfo, nodeFlags: string[] = []) {
  const { stdout } = await run(
    process.execPath,
    [...nodeFlags, script(name), JSON.stringify(info)],
    {
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(stdout) as {
    rate: number;
    peakRssMib: number;
    cpuMicrosPerEvent: number;
    forwarded?: number;
  };
}

const describe = (result: Awaited<ReturnType<typeof side>>) =>
  `${Math.round(result.rate)} events/s, ${result.cpuMicrosPerEvent.toFixed(1)} µs CPU/event, peak rss ${Math.round(result.peakRssMib)} MiB`;

const { info, stop } = await startServer();
console.log(`fake API server ready with ${info.total} events; ${rounds} rounds`);
const best = { pipeline: 0, baseline: 0, defaultRss: 0, tunedRss: 0 };
for (let round = 1; round <= rounds; round++) {
  const baseline = await side('ingest-baseline', info);
  const tuned = await side('ingest-pipeline', info, TUNED_HEAP);
  const untuned = await side('ingest-pipeline', info);
  console.log(
    `round ${round}: baseline ${describe(baseline)}; pipeline ${describe(tuned)} with ${TUNED_HEAP.join(' ')}, ` +
      `${describe(untuned)} with default heap flags; ${tuned.forwarded} of ${info.total} forwarded`,
  );
  best.baseline = Math.max(best.baseline, baseline.rate);
  best.pipeline = Math.max(best.pipeline, tuned.rate, untuned.rate);
  best.tunedRss = Math.max(best.tunedRss, tuned.peakRssMib);
  best.defaultRss = Math.max(best.defaultRss, untuned.peakRssMib);
}
stop();
console.log(`peak rss with default V8 heap flags: ${Math.round(best.defaultRss)} MiB`);
console.log(
  `ingest events/s=${Math.round(best.pipeline)} baseline events/s=${Math.round(best.baseline)} ratio=${(best.pipeline / best.baseline).toFixed(2)} peak_rss_mib=${Math.round(best.tunedRss)}`,
);
