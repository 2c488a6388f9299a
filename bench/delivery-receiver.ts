// The HTTP receiver of the delivery benchmark, in its own process: counts the
// distinct events it gets (by the `seq=` in their message), measures lag from
// their `created=` stamp, and can be taken down (503) to play an outage.
//   stdin: `reset` | `down` | `up` | `report`; stdout: one JSON line per command.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';

const STAMP = /seq=(\d+) created=(\d+\.\d+)/g;
let seen = new Set<number>();
let lags: number[] = [];
let requests = 0;
let rejected = 0;
let firstAt = 0;
let lastAt = 0;
let down = false;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    if (down) {
      rejected++;
      res.writeHead(503, { 'content-type': 'text/plain' }).end('down for the benchmark');
      return;
    }
    const now = performance.timeOrigin + performance.now();
    requests++;
    if (firstAt === 0) firstAt = now;
    lastAt = now;
    for (const match of Buffer.concat(chunks).toString('utf8').matchAll(STAMP)) {
      seen.add(Number(match[1]));
      lags.push(now - Number(match[2]));
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
});
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}/events` })}\n`);

const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'reset')
    [seen, lags, requests, rejected, firstAt, lastAt] = [new Set(), [], 0, 0, 0, 0];
  else if (line === 'down') down = true;
  else if (line === 'up') down = false;
  const sorted = line === 'report' ? [...lags].sort((a, b) => a - b) : [];
  process.stdout.write(
    `${JSON.stringify({
      distinct: seen.size,
      received: lags.length,
      requests,
      rejected,
      firstAt,
      lastAt,
      p50: quantile(sorted, 0.5),
      p99: quantile(sorted, 0.99),
      max: sorted.at(-1) ?? Number.NaN,
    })}\n`,
  );
}
server.close();
