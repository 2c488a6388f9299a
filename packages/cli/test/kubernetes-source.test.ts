import { mkdtempSync, writeFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeKubeApiServer } from '@keventer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubernetesSource } from '../src/source/kubernetes-source.js';

let dir: string;
let serviceAccount: string;
let api: FakeKubeApiServer;
let kubeconfig: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keventer-source-'));
  serviceAccount = join(dir, 'sa');
  await import('node:fs').then((fs) => fs.mkdirSync(serviceAccount));
  writeFileSync(join(serviceAccount, 'token'), 'sa-token\n');
  writeFileSync(join(serviceAccount, 'ca.crt'), 'CA');
  api = await FakeKubeApiServer.start({ token: 'file-token' });
  kubeconfig = await api.writeKubeconfig(join(dir, 'kubeconfig'));
});
afterAll(() => api.close());

const env = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' };

async function request(
  source: ReturnType<typeof kubernetesSource>,
): Promise<RequestOptions & { server: string | undefined }> {
  const config = source.kubeConfig;
  if (typeof config === 'string') throw new Error(`a kubeconfig path: ${config}`);
  const options: RequestOptions = {};
  await config.applyToHTTPSOptions(options);
  return { ...options, server: config.getCurrentCluster()?.server };
}

describe("the kubernetes source URI, with kube-eventer's meaning of each option", () => {
  it('inClusterConfig (default true): the service account, the master replacing the address', async () => {
    const deployment = await request(
      kubernetesSource('kubernetes:https://kubernetes.default', env, serviceAccount),
    );
    expect(deployment.server).toBe('https://kubernetes.default');
    expect(deployment.headers).toEqual({ authorization: 'Bearer sa-token' });
    expect(String(deployment.ca)).toBe('CA');
    expect(deployment.rejectUnauthorized).not.toBe(false);
    // No master: the pod's KUBERNETES_SERVICE_HOST and _PORT.
    expect((await request(kubernetesSource('kubernetes:', env, serviceAccount))).server).toBe(
      'https://10.96.0.1:443',
    );
  });

  it('insecure=true: no TLS verification, the CA dropped', async () => {
    const insecure = await request(
      kubernetesSource('kubernetes:https://kubernetes.default?insecure=true', env, serviceAccount),
    );
    expect(insecure.rejectUnauthorized).toBe(false);
    expect(insecure.ca).toBeUndefined();
    expect(insecure.headers).toEqual({ authorization: 'Bearer sa-token' });
  });

  it('inClusterConfig=false: the master without credentials; with auth= or localKubeConfig= that kubeconfig', async () => {
    const anonymous = await request(
      kubernetesSource(
        'kubernetes:http://127.0.0.1:8001?inClusterConfig=false',
        env,
        serviceAccount,
      ),
    );
    expect(anonymous.server).toBe('http://127.0.0.1:8001');
    expect(anonymous.headers).toBeUndefined();
    expect(
      kubernetesSource(`kubernetes:https://ignored?inClusterConfig=false&auth=${kubeconfig}`, env)
        .kubeConfig,
    ).toBe(kubeconfig);
    expect(
      kubernetesSource(`kubernetes:?inClusterConfig=false&localKubeConfig=${kubeconfig}`, env)
        .kubeConfig,
    ).toBe(kubeconfig);
  });

  it("useServiceAccount=true: the service account's token replaces the kubeconfig's", async () => {
    const withToken = await request(
      kubernetesSource(
        `kubernetes:?inClusterConfig=false&auth=${kubeconfig}&useServiceAccount=true`,
        env,
        serviceAccount,
      ),
    );
    expect(withToken.server).toBe(api.url);
    expect(withToken.headers).toMatchObject({ authorization: 'Bearer sa-token' });
    const without = await request(
      kubernetesSource(
        `kubernetes:http://127.0.0.1:8001?inClusterConfig=false&useServiceAccount=true`,
        env,
        join(dir, 'none'),
      ),
    );
    expect(without.headers).toBeUndefined(); // no readable token: left as it was
  });

  it("$VAR expands as Go's os.ExpandEnv; what kube-eventer refuses is refused", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Go's ${VAR}, not a template
    const expanded = kubernetesSource('kubernetes:http://$HOST:${PORT}?inClusterConfig=false', {
      HOST: '127.0.0.1',
      PORT: '8001',
    });
    expect(expanded.describe).toContain('http://127.0.0.1:8001');
    expect(() => kubernetesSource('kubernetes:?inClusterConfig=false', env)).toThrow(
      'invalid kubernetes master url specified',
    );
    expect(() => kubernetesSource('kubernetes:https://k?inClusterConfig=yes', env)).toThrow(
      'inClusterConfig=yes: expected true or false',
    );
    expect(() => kubernetesSource('kubernetes-summary:https://k', env)).toThrow(
      /unknown source 'kubernetes-summary'/,
    );
    expect(() => kubernetesSource('kubernetes:https://k', env, join(dir, 'none'))).toThrow(
      /service-account file .* could not be read/,
    );
  });
});
