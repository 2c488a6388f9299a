// Measures the CLI's memory for the Deployment's resources: one `keventer`
// process forwarding from a real kube-apiserver to a local webhook receiver
// while Events are created at a steady rate; RSS sampled every second.
//
//   node scripts/deploy-check/measure-rss.mjs --kubeconfig STATE/kubeconfig [--seconds 60] [--rate 50] [--ha on|off]
//
// --ha on (default) runs with leader election and the ConfigMap checkpoint,
// as deploy/ does; off runs kube-eventer's command line alone. Build first (npx tsc -b).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    seconds: { type: 'string', default: '60' },
    rate: { type: 'string', default: '50' },
    ha: { type: 'string', default: 'on' },
  },
});
if (!values.kubeconfig)
  throw new Error('--kubeconfig is required (the e2e apiserver: STATE/kubeconfig)');
const seconds = Number(values.seconds);
const rate = Number(values.rate);
const cliDir = fileURLToPath(new URL('../../packages/cli/', import.meta.url));
const { CoreV1Api, KubeConfig } = createRequire(join(cliDir, 'package.json'))(
  '@kubernetes/client-node',
);

const kc = new KubeConfig();
kc.loadFromFile(values.kubeconfig);
const core = kc.makeApiClient(CoreV1Api);
const namespace = `rss-${Date.now().toString(36)}`;
for (const name of [namespace, 'keventer-rss']) {
  await core.createNamespace({ body: { metadata: { name } } }).catch(() => {});
}

let received = 0;
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    received += body.split('\n').filter(Boolean).length;
    res.end('{}');
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const sink = `webhook:http://127.0.0.1:${receiver.address().port}/hook?body_format=ndjson`;

const dir = mkdtempSync(join(tmpdir(), 'keventer-rss-'));
const config = join(dir, 'keventer.yaml');
writeFileSync(
  config,
  [
    `source: { kubeconfig: ${values.kubeconfig}, namespace: ${namespace} }`,
    'healthz: { ip: 127.0.0.1, port: 0 }',
    ...(values.ha === 'on'
      ? [
          `leaderElection: { namespace: keventer-rss, leaseName: ${namespace} }`,
          `checkpoint: { type: in-cluster, namespace: keventer-rss, name: ${namespace} }`,
        ]
      : []),
  ].join('\n'),
);
const child = spawn(
  process.execPath,
  [join(cliDir, 'dist/bin.js'), '--config', config, `--sink=${sink}`],
  {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, POD_NAME: 'rss' },
  },
);
const rssMiB = () => {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kb) / 1024);
};
await new Promise((resolve) => setTimeout(resolve, 3000));
const idle = rssMiB();

const samples = [];
const sampler = setInterval(() => samples.push(rssMiB()), 1000);
const started = Date.now();
let created = 0;
while (Date.now() - started < seconds * 1000) {
  const now = new Date();
  await core.createNamespacedEvent({
    namespace,
    body: {
      metadata: { name: `rss.${started.toString(36)}.${created}` },
      involvedObject: { kind: 'Pod', namespace, name: `app-${created % 50}`, apiVersion: 'v1' },
      reason: 'BackOff',
      message: `Back-off restarting failed container app in pod app-${created % 50} ${'x'.repeat(150)}`,
      type: 'Warning',
      source: { component: 'kubelet', host: 'node-1' },
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
    },
  });
  created++;
  const due = started + (created * 1000) / rate;
  if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
}
await new Promise((resolve) => setTimeout(resolve, 3000));
clearInterval(sampler);
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
receiver.close();
const sorted = [...samples].sort((a, b) => a - b);
console.log(
  JSON.stringify({
    ha: values.ha,
    seconds,
    created,
    received,
    eventsPerSecond: Math.round((created / (Date.now() - started)) * 1000),
    rssMiB: {
      idle,
      median: sorted[Math.floor(sorted.length / 2)],
      p95: sorted[Math.floor(sorted.length * 0.95)],
      max: sorted.at(-1),
    },
  }),
);
