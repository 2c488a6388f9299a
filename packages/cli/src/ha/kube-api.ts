import {
  CoordinationV1Api,
  CoreV1Api,
  type KubeConfig,
  type V1ConfigMap,
  type V1Lease,
} from '@kubernetes/client-node';

/** The Lease calls leader election makes; a seam for tests that need an unreachable API. */
export interface LeaseApi {
  read(namespace: string, name: string): Promise<V1Lease>;
  create(namespace: string, lease: V1Lease): Promise<V1Lease>;
  replace(namespace: string, name: string, lease: V1Lease): Promise<V1Lease>;
}

/** The ConfigMap calls the checkpoint store makes. */
export interface ConfigMapApi {
  read(namespace: string, name: string): Promise<V1ConfigMap>;
  create(namespace: string, configMap: V1ConfigMap): Promise<V1ConfigMap>;
  replace(namespace: string, name: string, configMap: V1ConfigMap): Promise<V1ConfigMap>;
}

export function leaseApiOf(kubeConfig: KubeConfig): LeaseApi {
  const api = kubeConfig.makeApiClient(CoordinationV1Api);
  return {
    read: (namespace, name) => api.readNamespacedLease({ namespace, name }),
    create: (namespace, body) => api.createNamespacedLease({ namespace, body }),
    replace: (namespace, name, body) => api.replaceNamespacedLease({ namespace, name, body }),
  };
}

export function configMapApiOf(kubeConfig: KubeConfig): ConfigMapApi {
  const api = kubeConfig.makeApiClient(CoreV1Api);
  return {
    read: (namespace, name) => api.readNamespacedConfigMap({ namespace, name }),
    create: (namespace, body) => api.createNamespacedConfigMap({ namespace, body }),
    replace: (namespace, name, body) => api.replaceNamespacedConfigMap({ namespace, name, body }),
  };
}

/** The HTTP status of a failed API call (client-node's ApiException), or undefined for a network error. */
export function statusCodeOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** A short reason for a log line: the status and the apiserver's message, never the request (it carries the token). */
export function describeApiError(error: unknown): string {
  const code = statusCodeOf(error);
  const body = (error as { body?: unknown } | null)?.body;
  let message: string | undefined;
  if (typeof body === 'string') {
    try {
      message = (JSON.parse(body) as { message?: string }).message;
    } catch {
      message = body.slice(0, 200);
    }
  } else if (body && typeof body === 'object') {
    message = (body as { message?: string }).message;
  }
  if (code !== undefined) return `HTTP ${code}${message ? `: ${message}` : ''}`;
  return error instanceof Error
    ? (error.message.split('\n')[0]?.slice(0, 200) ?? 'error')
    : String(error);
}

/** Rejects when `ms` pass first; the call itself goes on, and its late answer is ignored. */
export function withTimeout<T>(call: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
}
