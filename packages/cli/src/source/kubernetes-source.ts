import { accessSync, constants, readFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { createRequire } from 'node:module';
import { inClusterConfig, type KubeConfigLike } from '@keventer/core';

/** Where the kubelet mounts a pod's service account (kube-eventer's useServiceAccount reads its token). */
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** How the source was understood, for the log and the dry run (no credentials). */
export interface KubernetesSource {
  readonly kubeConfig: KubeConfigLike | string;
  readonly describe: string;
}

/** A source URI that kube-eventer would refuse too (it exits at startup). */
export class SourceUriError extends Error {
  override readonly name = 'SourceUriError';
}

/**
 * `--source=kubernetes:<master>?inClusterConfig=&insecure=&auth=&localKubeConfig=&useServiceAccount=`
 * with kube-eventer's meaning of each (its common/kubernetes/configs.go):
 *
 * - `inClusterConfig` (default true): the pod's service account; `<master>`, when it
 *   has a scheme and host, replaces the API server's address.
 * - `inClusterConfig=false` with `localKubeConfig=<path>`: that kubeconfig's current
 *   context, as it is (master, insecure and useServiceAccount are not applied).
 * - `inClusterConfig=false` with `auth=<path>`: that kubeconfig's current context.
 * - `inClusterConfig=false` alone: `<master>` without credentials (kubectl proxy).
 * - `insecure=true`: no TLS verification (not with a kubeconfig file, as kube-eventer).
 * - `useServiceAccount=true`: the service account's token replaces the credentials.
 *
 * `env` expands `$VAR` as Go's os.ExpandEnv (an unset variable is empty).
 * `serviceAccountDir` moves the service-account mount (tests, unusual mounts).
 */
export function kubernetesSource(
  text: string,
  env: NodeJS.ProcessEnv,
  serviceAccountDir = SERVICE_ACCOUNT_DIR,
): KubernetesSource {
  const colon = text.indexOf(':');
  const key = colon === -1 ? text : text.slice(0, colon);
  if (key !== 'kubernetes') {
    throw new SourceUriError(
      key === ''
        ? `missing uri key in '${text}'`
        : `unknown source '${key}': the only source is kubernetes:<master>?<options>`,
    );
  }
  const rest = expandGoEnv(colon === -1 ? '' : text.slice(colon + 1), env);
  const { master, query } = splitMaster(rest);
  const opt = (name: string): string | undefined => query.getAll(name)[0];
  const flag = (name: string, fallback: boolean): boolean => {
    const value = opt(name);
    return value === undefined ? fallback : parseGoBool(name, value);
  };
  const insecure = flag('insecure', false);
  const useServiceAccount = flag('useServiceAccount', false);
  const inCluster = flag('inClusterConfig', true);
  const tokenFile = `${serviceAccountDir}/token`;

  let config: KubeConfigLike | string;
  let describe: string;
  if (inCluster) {
    const server = master ?? serverFromEnv(env);
    const base = inClusterConfig({ serviceAccountDir, ...(server ? { server } : {}) });
    config = insecure ? withoutTlsVerify(base) : base;
    describe = `in-cluster service account${server ? `, API server ${server}` : ''}${insecure ? ', TLS not verified' : ''}`;
    // The in-cluster config already authenticates with this token.
    return { kubeConfig: config, describe };
  }
  const localKubeConfig = opt('localKubeConfig');
  if (localKubeConfig !== undefined && localKubeConfig !== '') {
    checkReadable(localKubeConfig, 'localKubeConfig');
    return { kubeConfig: localKubeConfig, describe: `kubeconfig ${localKubeConfig}` };
  }
  const auth = opt('auth');
  if (auth !== undefined && auth !== '') {
    checkReadable(auth, 'auth');
    config = auth;
    describe = `kubeconfig ${auth}`;
  } else {
    if (!master) throw new SourceUriError('invalid kubernetes master url specified');
    config = anonymous(master, insecure);
    describe = `API server ${master} without credentials${insecure ? ', TLS not verified' : ''}`;
  }
  if (useServiceAccount) {
    config = withTokenFile(config, tokenFile);
    describe += `, service-account token ${tokenFile}`;
  }
  return { kubeConfig: config, describe };
}

/** The master as configs.go takes it from the URL: `scheme://host` when both are there. */
function splitMaster(rest: string): { master: string | undefined; query: URLSearchParams } {
  const q = rest.indexOf('?');
  const head = q === -1 ? rest : rest.slice(0, q);
  const query = new URLSearchParams(q === -1 ? '' : rest.slice(q + 1));
  // Go's url.Parse: 'apiserver:6443' has the scheme 'apiserver' and no host, so no master.
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]+)/.exec(head);
  return { master: match ? `${match[1]}://${match[2]}` : undefined, query };
}

/** The pod's API server address, as client-go's InClusterConfig reads it (from `env`, not only process.env). */
function serverFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) return undefined; // core's in-cluster config says what is missing
  return `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** A kubeconfig that cannot be read fails the start, as kube-eventer's loader does, not the first list. */
export function checkReadable(path: string, option: string): void {
  try {
    accessSync(path, constants.R_OK);
  } catch (error) {
    const { code } = error as { code?: string };
    throw new SourceUriError(
      `${option}=${path}: the kubeconfig file cannot be read (${code ?? 'error'})`,
    );
  }
}

/** Go's strconv.ParseBool, erroring as kube-eventer would at startup. */
function parseGoBool(name: string, value: string): boolean {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  throw new SourceUriError(`source option ${name}=${value}: expected true or false`);
}

/** Go's os.ExpandEnv: `$VAR` and `${VAR}`, an unset variable expands to ''. */
export function expandGoEnv(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(
    /\$\{([^}]*)\}|\$([A-Za-z0-9_]+)/g,
    (_, braced: string | undefined, bare: string | undefined) => env[braced ?? bare ?? ''] ?? '',
  );
}

/** A master with no credentials (kube-eventer's `?inClusterConfig=false`, e.g. behind kubectl proxy). */
function anonymous(server: string, insecure: boolean): KubeConfigLike {
  // Plain http has no TLS to verify; core asks a http:// cluster to say so.
  const cluster = { name: 'source', server, skipTLSVerify: insecure || server.startsWith('http:') };
  return {
    getCurrentContext: () => 'source',
    getCurrentCluster: () => cluster,
    getCurrentUser: () => ({ name: 'anonymous' }),
    async applyToHTTPSOptions(request: RequestOptions): Promise<void> {
      if (insecure) request.rejectUnauthorized = false;
    },
  };
}

function withoutTlsVerify(base: KubeConfigLike): KubeConfigLike {
  return {
    getCurrentContext: () => base.getCurrentContext(),
    getCurrentCluster: () => {
      const cluster = base.getCurrentCluster();
      return cluster && { ...cluster, skipTLSVerify: true };
    },
    getCurrentUser: () => base.getCurrentUser(),
    async applyToHTTPSOptions(request: RequestOptions): Promise<void> {
      await base.applyToHTTPSOptions(request);
      request.ca = undefined;
      request.rejectUnauthorized = false;
    },
  };
}

/** kube-eventer's useServiceAccount: the service account's token, when readable, replaces the credentials. */
function withTokenFile(config: KubeConfigLike | string, tokenFile: string): KubeConfigLike {
  let base: KubeConfigLike;
  if (typeof config === 'string') {
    // Loaded only here: client-node's import costs ~100 MiB and half a second.
    const { KubeConfig } = createRequire(import.meta.url)(
      '@kubernetes/client-node',
    ) as typeof import('@kubernetes/client-node');
    const kc = new KubeConfig();
    kc.loadFromFile(config);
    base = kc;
  } else {
    base = config;
  }
  return {
    getCurrentContext: () => base.getCurrentContext(),
    getCurrentCluster: () => base.getCurrentCluster(),
    getCurrentUser: () => base.getCurrentUser(),
    async applyToHTTPSOptions(request: RequestOptions): Promise<void> {
      await base.applyToHTTPSOptions(request);
      let token: string | undefined;
      try {
        token = readFileSync(tokenFile, 'utf8').trim();
      } catch {
        // kube-eventer: "If a readable service account token exists, then use it"
      }
      if (token) request.headers = { ...request.headers, authorization: `Bearer ${token}` };
    },
  };
}
