import type { KubeConfigLike } from '@keventer/core';
import { KubeApiError } from '@keventer/core/kit';
import { KubeJsonClient } from './kube-json-client.js';

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

/** Leases through the event stream's cluster, credentials and TLS. */
export function leaseApiOf(kubeConfig: KubeConfigLike): LeaseApi {
  return objectApi<Lease>(new KubeJsonClient(kubeConfig), '/apis/coordination.k8s.io/v1', 'leases');
}

/** ConfigMaps through the event stream's cluster, credentials and TLS. */
export function configMapApiOf(kubeConfig: KubeConfigLike): ConfigMapApi {
  return objectApi<ConfigMap>(new KubeJsonClient(kubeConfig), '/api/v1', 'configmaps');
}

function objectApi<T>(client: KubeJsonClient, group: string, resource: string) {
  const collection = (namespace: string) =>
    `${group}/namespaces/${encodeURIComponent(namespace)}/${resource}`;
  const one = (namespace: string, name: string) =>
    `${collection(namespace)}/${encodeURIComponent(name)}`;
  return {
    read: (namespace: string, name: string) => client.request<T>('GET', one(namespace, name)),
    create: (namespace: string, body: T) => client.request<T>('POST', collection(namespace), body),
    replace: (namespace: string, name: string, body: T) =>
      client.request<T>('PUT', one(namespace, name), body),
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
