// npm run bench:ingest: how fast EventStream -> normalize -> filter -> dedup
// ingests a watch stream, against bare line-split + JSON.parse of the same stream.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { createDedup, createFilter, EventStream, MemoryCheckpointStore } from '@keventer/core';

const total = Number(process.env.BENCH_EVENTS ?? 200_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);

interface ServerInfo {
  url: string;
  kubeconfig: string;
  startResourceVersion: string;
  total: number;
}

async function startServer(): Promise<{ info: ServerInfo; stop: () => void }> {
  const child = spawn(
    process.execPath,
    [new URL('./ingest-server.js', import.meta.url).pathname, String(total)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const [line] = await createInterface({ input: child.stdout })
    [Symbol.asyncIterator]()
    .next()
    .then((r) => [r.value as string]);
  return { info: JSON.parse(line ?? '{}') as ServerInfo, stop: () => child.stdin.end() };
}

/** Bare line-split + JSON.parse of the watch stream: the ceiling any client can reach. */
async function baseline(info: ServerInfo): Promise<number> {
  const started = performance.now();
  const url = `${info.url}/api/v1/events?watch=1&resourceVersion=${info.startResourceVersion}&timeoutSeconds=600`;
  let count = 0;
  await new Promise<void>((resolve, reject) => {
    http
      .get(url, { headers: { authorization: 'Bearer fake' } }, (res) => {
        res.setEncoding('utf8');
        let pending = '';
        res.on('data', (chunk: string) => {
          pending += chunk;
          let start = 0;
          for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
            JSON.parse(pending.slice(start, end));
            start = end + 1;
            if (++count === info.total) {
              res.destroy();
              resolve();
              return;
            }
          }
          pending = pending.slice(start);
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
  return info.total / ((performance.now() - started) / 1000);
}

/** The real pipeline, from a checkpoint at the start of the stream, into a null consumer. */
async function pipeline(info: ServerInfo): Promise<{ rate: number; forwarded: number }> {
  const checkpoint = new MemoryCheckpointStore();
  checkpoint.checkpoint = {
    version: 1,
    resourceVersion: info.startResourceVersion,
    seen: [],
    scope: 'core/v1|||',
    savedAt: new Date().toISOString(),
  };
  const stream = new EventStream({
    kubeConfig: info.kubeconfig,
    checkpoint,
    watchTimeoutSeconds: 600,
    stallTimeoutMs: 700_000,
  });
  const filter = createFilter({ type: 'Warning', exclude: { namespaces: ['kube-system'] } });
  const dedup = createDedup({ mode: 'occurrence' });
  const started = performance.now();
  let count = 0;
  let forwarded = 0;
  for await (const event of stream) {
    if (filter(event) && dedup.accept(event)) forwarded++;
    if (++count === info.total) break;
  }
  return { rate: info.total / ((performance.now() - started) / 1000), forwarded };
}

const { info, stop } = await startServer();
console.log(`fake API server ready with ${info.total} events; ${rounds} rounds each`);
let best = 0;
let bestBaseline = 0;
for (let round = 1; round <= rounds; round++) {
  const base = await baseline(info);
  const { rate, forwarded } = await pipeline(info);
  console.log(
    `round ${round}: pipeline ${Math.round(rate)} events/s (${forwarded} forwarded), baseline ${Math.round(base)} events/s`,
  );
  best = Math.max(best, rate);
  bestBaseline = Math.max(bestBaseline, base);
}
stop();
const peakRssMib = process.resourceUsage().maxRSS / 1024;
console.log(
  `ingest events/s=${Math.round(best)} baseline events/s=${Math.round(bestBaseline)} ratio=${(best / bestBaseline).toFixed(2)} peak_rss_mib=${Math.round(peakRssMib)}`,
);
