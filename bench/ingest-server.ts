// The fake API server of the ingest benchmark, in its own process so that the
// benchmark's memory figures are the forwarder's alone. It serves HTTPS, as a
// real API server does, stores N events, then prints where to watch them from
// (with a pod-like service-account folder) and serves until stdin closes.
import { buildEvent, FakeKubeApiServer } from '@keventer/testing';

export interface ServerInfo {
  url: string;
  /** The server's CA, PEM: the baseline trusts it. */
  ca: string;
  /** token + ca.crt, as mounted in a pod: the forwarder's whole configuration. */
  serviceAccountDir: string;
  startResourceVersion: string;
  total: number;
}

const total = Number(process.argv[2] ?? 200_000);
const server = await FakeKubeApiServer.start({
  tls: true,
  token: 'bench-token',
  historyLimit: total + 10,
  eventTtlMs: 86_400_000,
});
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
const info: ServerInfo = {
  url: server.url,
  ca: server.ca ?? '',
  serviceAccountDir: server.serviceAccountDir(),
  startResourceVersion,
  total,
};
process.stdout.write(`${JSON.stringify(info)}\n`);
process.stdin.resume();
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
