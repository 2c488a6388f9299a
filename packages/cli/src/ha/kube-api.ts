import type { KubeConfigLike } from '@keventer/core';
import { KubeApiError, KubeClient } from '@keventer/core/kit';

/** A Lease or a ConfigMap is far below this (etcd keeps ~1.5 MiB per object). */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
/** What a hung connection costs at most; callers bound their own waits tighter (the renew deadline). */
export const REQUEST_TIMEOUT_MS = 15_000;

/** The object metadata keventer reads and writes; the rest travels back as read. */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  readonly [field: string]: unknown;
}

/** coordination.k8s.io/v1 Lease; the times are MicroTime strings (six fractional digits). */
export interface Lease {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

/** v1 ConfigMap; binaryData values are base64. */
export interface ConfigMap {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
}

/** The Lease calls leader election makes; a seam for tests that need an unreachable API. */
export interface LeaseApi {
  read(namespace: string, name: string): Promise<Lease>;
  create(namespace: string, lease: Lease): Promise<Lease>;
  replace(namespace: string, name: string, lease: Lease): Promise<Lease>;
}

/** The ConfigMap calls the checkpoint store makes. */
export interface ConfigMapApi {
  read(namespace: string, name: string): Promise<ConfigMap>;
  create(namespace: string, configMap: ConfigMap): Promise<ConfigMap>;
  replace(namespace: string, name: string, configMap: ConfigMap): Promise<ConfigMap>;
}

/**
 * Leases through the event stream's cluster, credentials and TLS (core's
 * KubeClient: a rotated service-account token is re-read per request, and no
 * client-node on this path, whose import costs 10-15 MiB of RSS).
 */
export function leaseApiOf(kubeConfig: KubeConfigLike, timeoutMs = REQUEST_TIMEOUT_MS): LeaseApi {
  return objectApi<Lease>(kubeConfig, timeoutMs, '/apis/coordination.k8s.io/v1', 'leases');
}

/** ConfigMaps through the event stream's cluster, credentials and TLS. */
export function configMapApiOf(
  kubeConfig: KubeConfigLike,
  timeoutMs = REQUEST_TIMEOUT_MS,
): ConfigMapApi {
  return objectApi<ConfigMap>(kubeConfig, timeoutMs, '/api/v1', 'configmaps');
}

function objectApi<T>(
  kubeConfig: KubeConfigLike,
  timeoutMs: number,
  group: string,
  resource: string,
) {
  const client = new KubeClient(kubeConfig);
  const collection = (namespace: string) =>
    `${group}/namespaces/${encodeURIComponent(namespace)}/${resource}`;
  const one = (namespace: string, name: string) =>
    `${collection(namespace)}/${encodeURIComponent(name)}`;
  const request = (method: 'GET' | 'POST' | 'PUT', path: string, body?: T) =>
    client.requestJson<T>(method, path, { body, timeoutMs, maxBytes: MAX_ANSWER_BYTES });
  return {
    read: (namespace: string, name: string) => request('GET', one(namespace, name)),
    create: (namespace: string, body: T) => request('POST', collection(namespace), body),
    replace: (namespace: string, name: string, body: T) =>
      request('PUT', one(namespace, name), body),
  };
}

/** The HTTP status of a failed API call, or undefined for a network error or a timeout. */
export function statusCodeOf(error: unknown): number | undefined {
  return error instanceof KubeApiError ? error.statusCode : undefined;
}

/** A short reason for a log line: the status and the apiserver's message, never the request (it carries the token). */
export function describeApiError(error: unknown): string {
  if (error instanceof KubeApiError) {
    return `HTTP ${error.statusCode}${error.reason ? ` ${error.reason}` : ''}: ${error.message}`;
  }
  return error instanceof Error
    ? (error.message.split('\n')[0]?.slice(0, 200) ?? 'error')
    : String(error);
}

/** Rejects when `ms` pass first; the call itself goes on (bounded by the client's own timeout), and its late answer is ignored. */
export function withTimeout<T>(call: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
}
