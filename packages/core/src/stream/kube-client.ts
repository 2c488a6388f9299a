import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';

/** A failed Kubernetes API request, with the Status the server answered. */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';

  constructor(
    message: string,
    readonly statusCode: number,
    /** The Status `reason`, e.g. 'Expired', 'Forbidden'. */
    readonly reason: string,
    /** From a Retry-After header, when the server sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  /** The resourceVersion or continue token is too old: list again. */
  get gone(): boolean {
    return this.statusCode === 410;
  }
}

export type KubeConfigSource = KubeConfig | string | undefined;

/**
 * Loads a KubeConfig: an object as given, a kubeconfig file path, or the default
 * chain of client-node (KUBECONFIG, ~/.kube/config, then the in-cluster service account).
 */
export function loadKubeConfig(source: KubeConfigSource): KubeConfig {
  if (source instanceof KubeConfig) return source;
  const kc = new KubeConfig();
  if (typeof source === 'string') kc.loadFromFile(source);
  else kc.loadFromDefault();
  if (!kc.getCurrentCluster()) {
    throw new Error(
      'no Kubernetes cluster configured: pass kubeConfig, set KUBECONFIG or run in a cluster',
    );
  }
  return kc;
}

const MAX_ERROR_BODY = 64 * 1024;

async function readSome(res: IncomingMessage): Promise<string> {
  let body = '';
  res.setEncoding('utf8');
  for await (const chunk of res) {
    body += chunk;
    if (body.length > MAX_ERROR_BODY) break;
  }
  res.destroy();
  return body.slice(0, MAX_ERROR_BODY);
}

function retryAfterMs(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

async function toApiError(res: IncomingMessage, path: string): Promise<KubeApiError> {
  const status = res.statusCode ?? 0;
  const body = await readSome(res).catch(() => '');
  let reason = '';
  let message = body.slice(0, 300);
  try {
    const parsed = JSON.parse(body) as { reason?: string; message?: string };
    reason = parsed.reason ?? '';
    message = parsed.message ?? message;
  } catch {
    // not a Status object: keep the raw snippet
  }
  return new KubeApiError(
    `GET ${path} answered ${status}${reason ? ` ${reason}` : ''}: ${message}`,
    status,
    reason,
    retryAfterMs(res.headers['retry-after'] as string | undefined),
  );
}

/**
 * A thin streaming GET on top of a KubeConfig. client-node's Watch cannot pause
 * (it pushes readline 'line' events), drops malformed lines silently and has no
 * stall detection, so EventStream reads the HTTP response itself and takes only
 * authentication and TLS from client-node.
 */
export class KubeClient {
  readonly server: string;

  constructor(readonly kubeConfig: KubeConfig) {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    this.server = cluster.server.replace(/\/+$/, '');
  }

  /** Starts a GET and resolves with the 200 response (a stream); any other status rejects with KubeApiError. */
  async get(
    path: string,
    query: Record<string, string>,
    signal: AbortSignal,
  ): Promise<IncomingMessage> {
    const url = new URL(this.server + path);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    // Called per request: exec plugins and projected service-account tokens rotate.
    const options: https.RequestOptions = { headers: {} };
    await this.kubeConfig.applyToHTTPSOptions(options);
    options.headers = { ...options.headers, accept: 'application/json' };
    const transport = url.protocol === 'http:' ? http : https;
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = transport.get(url, { ...options, signal }, resolve);
      req.on('error', reject);
      req.on('socket', (socket) => socket.setKeepAlive(true, 30_000));
    });
    if (res.statusCode !== 200) throw await toApiError(res, url.pathname);
    return res;
  }

  /** GET a JSON document, bounded by `timeoutMs`. */
  async getJson<T>(
    path: string,
    query: Record<string, string>,
    signal: AbortSignal,
    timeoutMs: number,
  ): Promise<T> {
    const bounded = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
    const res = await this.get(path, query, bounded);
    res.setEncoding('utf8');
    let body = '';
    for await (const chunk of res) body += chunk;
    return JSON.parse(body) as T;
  }
}
