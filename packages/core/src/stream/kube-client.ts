import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { readBoundedBody } from './bounded-body.js';
import { StreamConfigError } from './errors.js';
import type { KubeConfigLike } from './kube-config-like.js';

export { type KubeConfigSource, loadKubeConfig } from './kube-config.js';

/** What getJson reads at most unless told otherwise: far above any one object (etcd keeps ~1.5 MiB). */
const DEFAULT_MAX_JSON_BYTES = 16 * 1024 * 1024;

/** A request that did not complete within its time limit. */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
}

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

async function toApiError(
  res: IncomingMessage,
  method: string,
  path: string,
): Promise<KubeApiError> {
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
    `${method} ${path} answered ${status}${reason ? ` ${reason}` : ''}: ${message}`,
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

  constructor(readonly kubeConfig: KubeConfigLike) {
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
    const res = await this.#send('GET', path, query, signal);
    if (res.statusCode !== 200) throw await toApiError(res, 'GET', path);
    return res;
  }

  /**
   * A JSON request (a read, a create, a replace) answered with at most
   * `maxBytes` (16 MiB by default) within `timeoutMs`: any status but 2xx
   * rejects with KubeApiError, a slow answer with RequestTimeoutError.
   */
  async requestJson<T>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    options: { body?: unknown; signal?: AbortSignal; timeoutMs: number; maxBytes?: number },
  ): Promise<T> {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const what = `${method} ${path}`;
    try {
      const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
      const res = await this.#send(method, path, {}, signal, payload);
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) throw await toApiError(res, method, path);
      const body = await readBoundedBody(
        res,
        options.maxBytes ?? DEFAULT_MAX_JSON_BYTES,
        `the answer to ${what}`,
      );
      return JSON.parse(body.toString('utf8')) as T;
    } catch (error) {
      if (timeout.aborted && !options.signal?.aborted) {
        throw new RequestTimeoutError(`${what} did not complete within ${options.timeoutMs} ms`);
      }
      throw error;
    }
  }

  /** Sends a request with the kubeconfig's credentials and TLS; resolves with the response, whatever its status. */
  async #send(
    method: string,
    path: string,
    query: Record<string, string>,
    signal: AbortSignal,
    json?: string,
  ): Promise<IncomingMessage> {
    const url = new URL(this.server + path);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    // Called per request: exec plugins and projected service-account tokens rotate.
    const options: https.RequestOptions = { headers: {} };
    await this.kubeConfig.applyToHTTPSOptions(options).catch((error: unknown) => {
      throw credentialFilesError(error) ?? error;
    });
    options.headers = {
      ...options.headers,
      accept: 'application/json',
      ...(json !== undefined && {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(json),
      }),
    };
    const transport = url.protocol === 'http:' ? http : https;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = transport.request(url, { ...options, method, signal }, resolve);
      req.on('error', reject);
      req.on('socket', (socket) => socket.setKeepAlive(true, 30_000));
      req.end(json);
    });
  }

  /**
   * GET a whole body of at most `maxBytes`, bounded by `timeoutMs`: an endless
   * or huge body fails with BodyTooLargeError, a slow one with RequestTimeoutError.
   */
  async getBody(
    path: string,
    query: Record<string, string>,
    signal: AbortSignal,
    timeoutMs: number,
    maxBytes: number,
  ): Promise<Buffer> {
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const res = await this.get(path, query, AbortSignal.any([signal, timeout]));
      return await readBoundedBody(res, maxBytes, `the answer to GET ${path}`);
    } catch (error) {
      if (timeout.aborted && !signal.aborted) {
        throw new RequestTimeoutError(`GET ${path} did not complete within ${timeoutMs} ms`);
      }
      throw error;
    }
  }

  /** GET a JSON document of at most `maxBytes` (16 MiB by default), bounded by `timeoutMs`. */
  async getJson<T>(
    path: string,
    query: Record<string, string>,
    signal: AbortSignal,
    timeoutMs: number,
    maxBytes = DEFAULT_MAX_JSON_BYTES,
  ): Promise<T> {
    const body = await this.getBody(path, query, signal, timeoutMs, maxBytes);
    return JSON.parse(body.toString('utf8')) as T;
  }
}

/** A certificate, key or token file of the kubeconfig that is missing: no retry brings it back. */
function credentialFilesError(error: unknown): StreamConfigError | undefined {
  const { code, path } = error as { code?: string; path?: string };
  if (code !== 'ENOENT' && code !== 'EACCES') return undefined;
  return new StreamConfigError(
    `a file the kubeconfig names could not be read (${code}${path ? `: ${path}` : ''}): fix the certificate-authority, client-certificate, client-key or tokenFile path`,
  );
}
