// The fake API server of the ingest benchmark, in its own process so that the
// benchmark's memory figure is the forwarder's alone. It stores N events, then
// prints where to watch them from and serves until stdin closes.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEvent, FakeKubeApiServer } from '@keventer/testing';

export interface ServerInfo {
  url: string;
  kubeconfig: string;
  startResourceVersion: string;
  total: number;
}

const total = Number(process.argv[2] ?? 200_000);
const server = await FakeKubeApiServer.start({ historyLimit: total + 10, eventTtlMs: 86_400_000 });
const startResourceVersion = server.resourceVersion;
const reasons = ['BackOff', 'Unhealthy', 'FailedScheduling', 'Pulled', 'Started', 'OOMKilling'];
for (let offset = 0; offset < total; offset += 10_000) {
  const batch = [];
  for (let i = offset; i < Math.min(total, offset + 10_000); i++) {
    const reason = reasons[i % reasons.length] as string;
    batch.push(
      buildEvent({
        type: i % 2 === 0 ? 'Warning' : 'Normal',
        reason,
        involvedObject: {
          kind: 'Pod',
          namespace: `team-${i % 20}`,
          name: `web-${i % 5000}-7d4b9c-x2x1z`,
        },
        message: `${reason}: container app in pod web-${i % 5000} (event ${i})`,
      }),
    );
  }
  server.createEvents(batch);
}
const kubeconfig = join(tmpdir(), `keventer-bench-${process.pid}.kubeconfig`);
await writeFile(kubeconfig, server.kubeconfig());
process.stdout.write(
  `${JSON.stringify({ url: server.url, kubeconfig, startResourceVersion, total })}\n`,
);
process.stdin.resume();
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
