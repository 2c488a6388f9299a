// The other side of the ingest benchmark: bare line-split + JSON.parse of the same
// watch stream over the same TLS, the ceiling any client can reach. Prints one
// JSON result line.
import https from 'node:https';
import type { ServerInfo } from './ingest-server.js';

const info = JSON.parse(process.argv[2] ?? '{}') as ServerInfo;
const passes = Number(process.argv[3] ?? 2);

function pass(): Promise<{ rate: number; cpuMicrosPerEvent: number }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const url = `${info.url}/api/v1/events?watch=1&resourceVersion=${info.startResourceVersion}&timeoutSeconds=600`;
  let count = 0;
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca: info.ca, headers: { authorization: 'Bearer bench-token' } }, (res) => {
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
              const { user, system } = process.cpuUsage(cpu);
              resolve({
                rate: info.total / ((performance.now() - started) / 1000),
                cpuMicrosPerEvent: (user + system) / info.total,
              });
              return;
            }
          }
          pending = pending.slice(start);
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

let best = { rate: 0, cpuMicrosPerEvent: 0 };
for (let i = 0; i < passes; i++) {
  const result = await pass();
  if (result.rate > best.rate) best = result;
}
const peakRssMib = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ ...best, peakRssMib })}\n`);
