import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { StreamConfigError } from './errors.js';
import { inClusterConfig, runsInCluster } from './in-cluster.js';
import type { KubeConfigLike } from './kube-config-like.js';

export type KubeConfigSource = KubeConfigLike | string | undefined;

const HOW_TO_CONFIGURE =
  'pass kubeConfig (a KubeConfig or a kubeconfig path), set KUBECONFIG, create ~/.kube/config, or run in a cluster with a service account';

/**
 * Loads a KubeConfig: an object as given, a kubeconfig file path, or the default
 * chain of client-node (KUBECONFIG, ~/.kube/config, then the in-cluster service
 * account). Only kubeconfig files load @kubernetes/client-node (exec plugins,
 * OIDC and auth providers are its job); a pod's service account does not. Throws {@link StreamConfigError} for what retrying cannot fix: no
 * cluster anywhere, an unreadable file, a context without a cluster, a server
 * URL client-node refuses.
 */
export function loadKubeConfig(source: KubeConfigSource): KubeConfigLike {
  // Not instanceof: a KubeConfig from another copy of client-node works as well.
  const kc = typeof source === 'object' && source !== null ? source : configFrom(source);
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw new StreamConfigError(
      `the kubeconfig's current context ('${kc.getCurrentContext()}') names no cluster: set current-context to a context whose cluster exists`,
    );
  }
  // client-node's last resort when it finds nothing: a cluster it made up.
  if (
    cluster.name === 'cluster' &&
    cluster.server === 'http://localhost:8080' &&
    kc.getCurrentUser()?.name === 'user'
  ) {
    throw new StreamConfigError(`no Kubernetes cluster configured: ${HOW_TO_CONFIGURE}`);
  }
  let url: URL;
  try {
    url = new URL(cluster.server);
  } catch {
    throw new StreamConfigError(
      `cluster '${cluster.name}' has server '${cluster.server}', which is not a URL: use e.g. https://host:6443`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new StreamConfigError(
      `cluster '${cluster.name}' has server ${url.origin} with protocol ${url.protocol}: use https://`,
    );
  }
  if (url.protocol === 'http:' && !cluster.skipTLSVerify) {
    throw new StreamConfigError(
      `cluster '${cluster.name}' has a plain http:// server (${url.origin}), which client-node refuses unless the cluster sets insecure-skip-tls-verify: true; use https://, or set that flag for a local test server`,
    );
  }
  return kc;
}

function configFrom(path: string | undefined): KubeConfigLike {
  if (path === undefined && !process.env.KUBECONFIG && !hasHomeKubeConfig()) {
    if (runsInCluster()) return inClusterConfig();
    throw new StreamConfigError(`no Kubernetes cluster configured: ${HOW_TO_CONFIGURE}`);
  }
  return readKubeConfig(path);
}

function hasHomeKubeConfig(): boolean {
  return existsSync(join(homedir(), '.kube', 'config'));
}

/**
 * Loaded on first use: its import costs ~100 MiB of RSS and half a second,
 * which a pod reading its service account never needs. Synchronous
 * require() of this ESM package works on Node 20.19 and newer.
 */
function clientNode(): typeof import('@kubernetes/client-node') {
  return createRequire(import.meta.url)('@kubernetes/client-node');
}

function readKubeConfig(path: string | undefined): KubeConfig {
  const kc = new (clientNode().KubeConfig)();
  const from = path ?? (process.env.KUBECONFIG ? `KUBECONFIG (${process.env.KUBECONFIG})` : '');
  try {
    if (path !== undefined) kc.loadFromFile(path);
    else kc.loadFromDefault();
  } catch (error) {
    throw new StreamConfigError(
      `the kubeconfig ${from || '~/.kube/config'} could not be read: ${describeReadError(error)}; fix it, or ${HOW_TO_CONFIGURE}`,
    );
  }
  return kc;
}

/** Why a kubeconfig did not load, without quoting the file (it holds credentials). */
function describeReadError(error: unknown): string {
  const e = error as { code?: string; reason?: string; mark?: { line: number; column: number } };
  if (e.code === 'ENOENT') return 'no such file';
  if (e.code === 'EACCES') return 'permission denied';
  if (e.code === 'EISDIR') return 'it is a directory';
  if (e.mark) return `not valid YAML (${e.reason} at line ${e.mark.line + 1})`;
  // client-node's own checks ("clusters[0].name is missing") name fields, not values.
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.slice(0, 200) ?? 'unknown error';
}
