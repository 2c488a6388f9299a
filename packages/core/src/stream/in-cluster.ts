import { readFileSync, statSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { join } from 'node:path';
import { StreamConfigError } from './errors.js';
import type { KubeConfigLike } from './kube-config-like.js';

/** Where the kubelet mounts a pod's service account. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface InClusterOptions {
  /** The folder holding `token` and `ca.crt`; the kubelet's mount by default. */
  readonly serviceAccountDir?: string;
  /** The API server's address; `KUBERNETES_SERVICE_HOST` and `_PORT` by default. */
  readonly server?: string;
}

/** True when this process runs in a pod that has the API server's address and a service account. */
export function runsInCluster(env: NodeJS.ProcessEnv = process.env): boolean {
  if (!env.KUBERNETES_SERVICE_HOST || !env.KUBERNETES_SERVICE_PORT) return false;
  try {
    return statSync(join(SERVICE_ACCOUNT_DIR, 'token')).isFile();
  } catch {
    return false;
  }
}

/**
 * A pod's own service account as a kubeconfig, without @kubernetes/client-node
 * (whose import costs ~100 MiB and half a second). The token and CA files are
 * re-read whenever they change: bound service-account tokens expire and the
 * kubelet rotates them in place.
 */
export function inClusterConfig(options: InClusterOptions = {}): KubeConfigLike {
  const dir = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const server = options.server ?? serverFromEnv();
  const credentials = new RotatingFiles(join(dir, 'token'), join(dir, 'ca.crt'));
  credentials.read(); // a missing token fails here, at startup, not at the first request
  const cluster = { name: 'in-cluster', server };
  const user = { name: 'service-account' };
  return {
    getCurrentContext: () => 'in-cluster',
    getCurrentCluster: () => cluster,
    getCurrentUser: () => user,
    async applyToHTTPSOptions(request: RequestOptions): Promise<void> {
      const { token, ca } = credentials.read();
      request.ca = ca;
      request.headers = { ...request.headers, authorization: `Bearer ${token}` };
    },
  };
}

function serverFromEnv(): string {
  const host = process.env.KUBERNETES_SERVICE_HOST;
  const port = process.env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new StreamConfigError(
      'in-cluster configuration needs KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT, which Kubernetes sets in every pod: run in a pod, or pass a kubeconfig',
    );
  }
  return `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The token and CA, read again only when a file's modification time or size changes. */
class RotatingFiles {
  #stamp = '';
  #value: { token: string; ca: Buffer } | undefined;

  constructor(
    private readonly tokenPath: string,
    private readonly caPath: string,
  ) {}

  read(): { token: string; ca: Buffer } {
    try {
      return this.#readIfChanged();
    } catch (error) {
      // Mid-rotation or briefly unreadable: the last token is still valid for a while.
      if (this.#value !== undefined) return this.#value;
      throw error;
    }
  }

  #readIfChanged(): { token: string; ca: Buffer } {
    const stamp = `${fileStamp(this.tokenPath)}|${fileStamp(this.caPath)}`;
    if (this.#value === undefined || stamp !== this.#stamp) {
      const token = readFileSync(this.tokenPath, 'utf8').trim();
      if (token === '') {
        throw new StreamConfigError(`the service-account token file ${this.tokenPath} is empty`);
      }
      this.#value = { token, ca: readFileSync(this.caPath) };
      this.#stamp = stamp;
    }
    return this.#value;
  }
}

function fileStamp(path: string): string {
  try {
    const { mtimeMs, size, ino } = statSync(path);
    return `${ino}:${mtimeMs}:${size}`;
  } catch (error) {
    const { code } = error as { code?: string };
    throw new StreamConfigError(
      `the service-account file ${path} could not be read (${code ?? 'error'}): mount the service account (automountServiceAccountToken), or pass a kubeconfig`,
    );
  }
}
