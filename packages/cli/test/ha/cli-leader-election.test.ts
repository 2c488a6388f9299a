import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEvent, FakeKubeApiServer, FakeWebhookReceiver, waitFor } from '@keventer/testing';
import { describe, expect, it } from 'vitest';
import {
  type CliProcess,
  cleanupAfterEach,
  runCli,
  startCli,
  waitForMetrics,
  waitForStatus,
} from '../support/run-cli.js';

const defer = cleanupAfterEach();

const NAMESPACE = 'keventer-system';

const warning = (name: string) =>
  buildEvent({
    type: 'Warning',
    reason: 'BackOff',
    message: `Back-off in ${name}`,
    involvedObject: { kind: 'Pod', namespace: 'shop', name },
  });

/** The `keventer_leader` gauge of a running CLI, undefined when absent or unreachable. */
async function leaderGauge(url: string): Promise<number | undefined> {
  try {
    const text = await (await fetch(`${url}/metrics`)).text();
    const match = /^keventer_leader (\d)$/m.exec(text);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

describe('the CLI under leader election (kube-eventer source URIs, in-cluster service account)', () => {
  it('both replicas are ready, keventer_leader tells which forwards, and the Lease and checkpoint go where the events come from (master, insecure, KEVENTER_SERVICE_ACCOUNT_DIR)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keventer-elected-'));
    const api = await FakeKubeApiServer.start({ token: 'sa-token', tls: true });
    defer(() => api.close());
    const hook = await FakeWebhookReceiver.start();
    defer(() => hook.close());
    const config = join(dir, 'keventer.yaml');
    writeFileSync(
      config,
      `leaderElection:
  namespace: ${NAMESPACE}
  leaseName: keventer
  leaseDurationSeconds: 3
  renewDeadlineSeconds: 2
  retryPeriodSeconds: 0.3
checkpoint: { type: in-cluster, namespace: ${NAMESPACE}, name: keventer-checkpoint }
log: { format: json, level: info }
`,
    );
    const common = [
      '--config',
      config,
      `--sink=webhook:${hook.url}/events?method=POST&level=Warning`,
      '--healthz-ip=127.0.0.1',
      '--healthz-port=0',
    ];
    // Neither replica has a pod's /var/run/secrets or KUBERNETES_SERVICE_HOST: only the URI's
    // master and the service-account directory lead to this apiserver.
    const noPod = { KUBERNETES_SERVICE_HOST: '', KUBERNETES_SERVICE_PORT: '', POD_NAMESPACE: '' };
    const a = startCli([`--source=kubernetes:${api.url}`, ...common], {
      ...noPod,
      POD_NAME: 'replica-a',
      KEVENTER_SERVICE_ACCOUNT_DIR: api.serviceAccountDir(NAMESPACE),
    });
    // insecure=true: the CA it was given is not the server's, and TLS is not verified.
    const wrongCa = join(dir, 'service-account');
    mkdirSync(wrongCa);
    writeFileSync(join(wrongCa, 'token'), 'sa-token\n');
    writeFileSync(join(wrongCa, 'ca.crt'), 'not the CA');
    const b = startCli([`--source=kubernetes:${api.url}?insecure=true`, ...common], {
      ...noPod,
      POD_NAME: 'replica-b',
      KEVENTER_SERVICE_ACCOUNT_DIR: wrongCa,
    });
    for (const cli of [a, b]) {
      defer(() => cli.kill());
    }
    const urls = new Map<CliProcess, string>([
      [a, await a.healthzUrl(60_000)],
      [b, await b.healthzUrl(60_000)],
    ]);
    const identity = (cli: CliProcess) =>
      `${cli === a ? 'replica-a' : 'replica-b'}_${cli.child.pid}`;
    const holder = () => api.leases.get(NAMESPACE, 'keventer')?.spec.holderIdentity;
    await waitFor(() => holder() === identity(a) || holder() === identity(b), {
      timeoutMs: 60_000,
      what: () => `a Lease holder\n${a.stdout()}\n${b.stdout()}`,
    });
    const leader = holder() === identity(a) ? a : b;
    const standby = leader === a ? b : a;

    // The standby is ready (a 2-replica Deployment shows 2/2, a rollout goes on) and says it does not lead.
    await waitForStatus(`${urls.get(standby)}/readyz`, 200, 30_000);
    await waitForStatus(`${urls.get(leader)}/readyz`, 200, 30_000);
    await waitForMetrics(urls.get(leader) as string, [/^keventer_leader 1$/m]);
    expect(await leaderGauge(urls.get(standby) as string)).toBe(0);

    api.createEvent(warning('cart-1'));
    await waitFor(() => hook.requests.some((r) => JSON.stringify(r.body).includes('cart-1')), {
      timeoutMs: 30_000,
    });

    // SIGTERM: the leader drains, saves the checkpoint in the ConfigMap, releases the Lease; the
    // other takes over through its own client (insecure, or the server's CA) and resumes from it.
    leader.child.kill('SIGTERM');
    expect(await leader.exited).toBe(0);
    await waitFor(() => holder() === identity(standby), {
      timeoutMs: 30_000,
      what: () => standby.stdout(),
    });
    await waitForMetrics(urls.get(standby) as string, [/^keventer_leader 1$/m]);
    await waitForStatus(`${urls.get(standby)}/readyz`, 200, 30_000);
    api.createEvent(warning('cart-2'));
    await waitFor(() => hook.requests.some((r) => JSON.stringify(r.body).includes('cart-2')), {
      timeoutMs: 30_000,
      what: () => standby.stdout(),
    });
    const writers = api.configMaps.writes
      .filter((w) => w.configMap.metadata.name === 'keventer-checkpoint')
      .map((w) => w.configMap.metadata.annotations?.['keventer.io/written-by']);
    expect(writers).toContain(leader === a ? 'replica-a' : 'replica-b');
    const bodies = hook.requests.filter((r) => r.status < 300).map((r) => JSON.stringify(r.body));
    expect(bodies.filter((body) => body.includes('cart-1'))).toHaveLength(1); // resumed, not re-sent
    expect(`${a.stdout()}${b.stdout()}`).not.toContain('sa-token');
  }, 180_000);

  it('with no cluster to hold the Lease on, exits 1 saying so (no stack trace)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'keventer-nocluster-'));
    const config = join(home, 'keventer.yaml');
    writeFileSync(
      config,
      'leaderElection: { namespace: ns }\nhealthz: { ip: 127.0.0.1, port: 0 }\nlog: { format: json }\n',
    );
    const { code, stderr } = await runCli(['--sink=log', '--config', config], {
      HOME: home,
      KUBECONFIG: '',
      KUBERNETES_SERVICE_HOST: '',
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^keventer: leader election: no Kubernetes cluster configured/m);
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
