// The deploy files on a real kube-apiserver: deploy/ and the Helm chart apply
// (server-side dry run), the chart renders to the same objects as deploy/, and
// the CLI running with the ServiceAccount's own token (its RBAC, nothing more)
// leads, checkpoints and forwards, and is refused anything else.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeWebhookReceiver, waitFor } from '@keventer/testing';
import { CoordinationV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { createEvent, ensureNamespace, kubeconfigPath } from '../../integration/e2e/support.js';
import { buildCli, holderOf, Replica, waitForAsync } from './ha-support.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const deployDir = join(root, 'deploy');
const chartDir = join(root, 'chart', 'keventer');
const NAMESPACE = 'keventer';

let kubectl = '';
let helm = '';

beforeAll(async () => {
  const tools = execFileSync('bash', [join(root, 'scripts/deploy-check/install-tools.sh')], {
    encoding: 'utf8',
  });
  kubectl = /KUBECTL='([^']+)'/.exec(tools)?.[1] ?? '';
  helm = /HELM='([^']+)'/.exec(tools)?.[1] ?? '';
  buildCli();
  await ensureNamespace(NAMESPACE);
});

function run(command: string, args: string[], input?: string): string {
  return execFileSync(command, args, { encoding: 'utf8', ...(input !== undefined && { input }) });
}

type K8sObject = { kind: string; metadata: { name: string; namespace?: string } } & Record<
  string,
  unknown
>;

function objectsOf(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

/** Keyed by kind/namespace/name; the config file compared as YAML data, not text (comments differ). */
function normalized(objects: K8sObject[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const o of objects) {
    const copy = structuredClone(o) as K8sObject & { data?: Record<string, string> };
    if (copy.kind === 'ConfigMap' && copy.data?.['keventer.yaml'] !== undefined) {
      copy.data = { ...copy.data, 'keventer.yaml': parse(copy.data['keventer.yaml']) };
    }
    out[`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`] = copy;
  }
  return out;
}

function deployObjects(): K8sObject[] {
  return readdirSync(deployDir)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .flatMap((f) => objectsOf(readFileSync(join(deployDir, f), 'utf8')));
}

function renderChart(...set: string[]): string {
  return run(helm, [
    'template',
    'keventer',
    chartDir,
    '--namespace',
    NAMESPACE,
    ...set.flatMap((s) => ['--set', s]),
  ]);
}

describe('deploy/ and the Helm chart', () => {
  it('the chart renders to the objects of deploy/ (all but the Namespace, which helm --create-namespace makes)', () => {
    const fromDeploy = deployObjects().filter((o) => o.kind !== 'Namespace');
    expect(normalized(objectsOf(renderChart()))).toEqual(normalized(fromDeploy));
  });

  it('the chart: one --sink and env per sink, the ServiceMonitor on request, names that follow the release', () => {
    const two = objectsOf(
      renderChart('sinks[0]=log', 'sinks[1]=webhook:http://x', 'serviceMonitor.enabled=true'),
    );
    const deployment = two.find((o) => o.kind === 'Deployment') as unknown as {
      spec: { template: { spec: { containers: { args: string[] }[] } } };
    };
    expect(deployment.spec.template.spec.containers[0]?.args).toEqual([
      '--source=kubernetes:https://kubernetes.default',
      '--sink=$(KEVENTER_SINK_0)',
      '--sink=$(KEVENTER_SINK_1)',
      '--config=/etc/keventer/keventer.yaml',
    ]);
    expect(two.filter((o) => ['Service', 'ServiceMonitor'].includes(o.kind))).toHaveLength(2);
    const other = objectsOf(run(helm, ['template', 'events', chartDir, '--namespace', 'ops']));
    const role = other.find((o) => o.kind === 'Role') as unknown as {
      rules: { resourceNames?: string[] }[];
    };
    expect(role.rules.flatMap((r) => r.resourceNames ?? [])).toEqual([
      'events-keventer',
      'events-keventer-checkpoint',
    ]);
    const config = other.find((o) => o.kind === 'ConfigMap') as unknown as {
      data: Record<string, string>;
    };
    expect(parse(config.data['keventer.yaml'] ?? '')).toMatchObject({
      leaderElection: { leaseName: 'events-keventer' },
      checkpoint: { name: 'events-keventer-checkpoint' },
    });
  });

  it('deploy/ (kubectl apply -k) and the rendered chart pass a server-side dry run', () => {
    const kc = ['--kubeconfig', kubeconfigPath];
    expect(run(kubectl, [...kc, 'apply', '--dry-run=server', '-k', deployDir])).toMatch(
      /deployment\.apps\/keventer (created|configured|unchanged) \(server dry run\)/,
    );
    const out = run(kubectl, [...kc, 'apply', '--dry-run=server', '-f', '-'], renderChart());
    expect(out.match(/\(server dry run\)/g)).toHaveLength(8);
  });
});

describe("the CLI with the ServiceAccount's token (deploy/rbac.yaml)", () => {
  let receiver: FakeWebhookReceiver;
  let replica: Replica | undefined;
  const admin = new KubeConfig();

  beforeAll(async () => {
    admin.loadFromFile(kubeconfigPath);
    receiver = await FakeWebhookReceiver.start();
  });
  afterAll(async () => {
    replica?.kill('SIGKILL');
    await receiver?.close();
  });

  /**
   * A TokenRequest token of the keventer ServiceAccount, laid out as the
   * kubelet mounts it in a pod (token, ca.crt, namespace), and as a kubeconfig
   * for the checks made here with client-node.
   */
  async function serviceAccountToken(): Promise<{ mount: string; kubeconfig: string }> {
    for (const file of ['serviceaccount.yaml', 'rbac.yaml']) {
      run(kubectl, ['--kubeconfig', kubeconfigPath, 'apply', '-f', join(deployDir, file)]);
    }
    const request = await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
      name: 'keventer',
      namespace: NAMESPACE,
      body: { spec: { audiences: [], expirationSeconds: 3600 } },
    });
    const token = request.status?.token ?? '';
    const cluster = admin.getCurrentCluster();
    const dir = mkdtempSync(join(tmpdir(), 'keventer-sa-'));
    const mount = join(dir, 'serviceaccount');
    mkdirSync(mount);
    writeFileSync(join(mount, 'token'), token, { mode: 0o600 });
    writeFileSync(join(mount, 'ca.crt'), Buffer.from(cluster?.caData ?? '', 'base64'));
    writeFileSync(join(mount, 'namespace'), NAMESPACE);
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'e2e', server: cluster?.server ?? '', caData: cluster?.caData }],
      users: [{ name: 'keventer', token }],
      contexts: [{ name: 'sa', cluster: 'e2e', user: 'keventer' }],
      currentContext: 'sa',
    });
    writeFileSync(join(dir, 'kubeconfig'), kc.exportConfig(), { mode: 0o600 });
    return { mount, kubeconfig: join(dir, 'kubeconfig') };
  }

  it('leads, checkpoints and forwards with exactly that RBAC, and is refused secrets, pods and writes', async () => {
    const { mount, kubeconfig: saKubeconfig } = await serviceAccountToken();
    // The deploy's own config file and --source, as in a pod: the in-cluster service account
    // (its mount moved by KEVENTER_SERVICE_ACCOUNT_DIR), the master the apiserver's address.
    // The events, the Lease and the checkpoint all go through that token.
    const configMap = objectsOf(
      readFileSync(join(deployDir, 'configmap.yaml'), 'utf8'),
    )[0] as unknown as {
      data: Record<string, string>;
    };
    const dir = mkdtempSync(join(tmpdir(), 'keventer-deploy-'));
    const config = join(dir, 'keventer.yaml');
    writeFileSync(
      config,
      `${configMap.data['keventer.yaml']}\nhealthz: { ip: 127.0.0.1, port: 0 }\n`,
    );
    replica = new Replica('deploy-check', config, {
      POD_NAMESPACE: NAMESPACE,
      KEVENTER_SERVICE_ACCOUNT_DIR: mount,
      extraArgs: [
        `--source=kubernetes:${admin.getCurrentCluster()?.server}`,
        `--sink=webhook:${receiver.url}/deploy?body_format=ndjson`,
      ],
    });
    const leaderBy = () => holderOf(NAMESPACE, 'keventer');
    await waitForHolder(leaderBy, replica);
    // Forwarding: keventer_leader 1 and /readyz 200 (its first list done), not a fixed wait.
    await waitForAsync(
      () => (replica as Replica).leading(),
      20_000,
      () => replica?.messages() ?? '',
    );
    await ensureNamespace('e2e-deploy-check');
    const event = await createEvent('e2e-deploy-check', 'rbac-pod');
    await waitFor(
      () =>
        receiver.events.some(
          (e) => (e as { EventMessage?: string }).EventMessage === event.message,
        ),
      { timeoutMs: 15_000, what: () => replica?.messages() ?? '' },
    );

    // The token itself: the Lease and checkpoint in its namespace, and nothing beyond events.
    const sa = new KubeConfig();
    sa.loadFromFile(saKubeconfig);
    const core = sa.makeApiClient(CoreV1Api);
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 200,
        (e: { code?: number }) => e.code,
      );
    expect(await codeOf(core.listNamespacedEvent({ namespace: 'e2e-deploy-check' }))).toBe(200);
    expect(await codeOf(core.listSecretForAllNamespaces())).toBe(403);
    expect(await codeOf(core.listNamespacedSecret({ namespace: NAMESPACE }))).toBe(403);
    expect(await codeOf(core.listPodForAllNamespaces())).toBe(403);
    expect(
      await codeOf(core.readNamespacedConfigMap({ namespace: NAMESPACE, name: 'keventer-config' })),
    ).toBe(403);
    expect(
      await codeOf(
        core.readNamespacedConfigMap({ namespace: NAMESPACE, name: 'keventer-checkpoint' }),
      ),
    ).toBe(200);
    expect(
      await codeOf(
        core.createNamespacedEvent({
          namespace: 'e2e-deploy-check',
          body: { metadata: { name: 'x' }, involvedObject: {} },
        }),
      ),
    ).toBe(403);
    const leases = sa.makeApiClient(CoordinationV1Api);
    expect(
      await codeOf(leases.readNamespacedLease({ namespace: NAMESPACE, name: 'keventer' })),
    ).toBe(200);
    expect(await codeOf(leases.listLeaseForAllNamespaces())).toBe(403);

    replica.kill('SIGTERM');
    expect(await replica.exited).toEqual({ code: 0, signal: null });
    expect(await leaderBy()).toBe('');
  });
});

async function waitForHolder(holder: () => Promise<string>, replica: Replica): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await holder()) !== replica.identity) {
    if (Date.now() > deadline) throw new Error(`never led:\n${replica.messages()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
