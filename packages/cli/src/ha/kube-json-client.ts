import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { KubeConfigLike } from '@keventer/core';
import { KubeApiError } from '@keventer/core/kit';

export type Verb = 'GET' | 'POST' | 'PUT';

/** A Lease or a ConfigMap is far below this (etcd keeps ~1.5 MiB per object). */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
/** What a hung connection costs at most; callers bound their own waits tighter (the renew deadline). */
const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * JSON GET/POST/PUT on the Kubernetes API with the event stream's own
 * KubeConfigLike: the same server (the source URI's master), credentials
 * (a rotated service-account token is re-read per request) and TLS
 * (`insecure`). No client-node on this path: its import costs 10-15 MiB of RSS.
 */
export class KubeJsonClient {
  readonly server: string;

  constructor(
    private readonly kubeConfig: KubeConfigLike,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    this.server = cluster.server.replace(/\/+$/, '');
  }

  /** Sends `body` as JSON and resolves with the answer's JSON; any status but 2xx rejects with KubeApiError. */
  async request<T>(verb: Verb, path: string, body?: unknown): Promise<T> {
    const url = new URL(this.server + path);
    const options: https.RequestOptions = { headers: {} };
    await this.kubeConfig.applyToHTTPSOptions(options);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    options.method = verb;
    options.headers = {
      ...options.headers,
      accept: 'application/json',
      ...(payload && { 'content-type': 'application/json', 'content-length': payload.length }),
    };
    options.signal = AbortSignal.timeout(this.timeoutMs);
    const transport = url.protocol === 'http:' ? http : https;
    let res: IncomingMessage;
    let text: string;
    try {
      res = await new Promise<IncomingMessage>((resolve, reject) => {
        const req = transport.request(url, options, resolve);
        req.on('error', reject);
        req.end(payload);
      });
      text = await readText(res, `${verb} ${url.pathname}`);
    } catch (error) {
      if ((error as Error).name === 'AbortError' || (error as Error).name === 'TimeoutError') {
        throw new Error(`${verb} ${url.pathname} did not complete within ${this.timeoutMs} ms`);
      }
      throw error;
    }
    const status = res.statusCode ?? 0;
    if (status < 200 || status > 299) throw apiError(status, text, res);
    return JSON.parse(text) as T;
  }
}

async function readText(res: IncomingMessage, what: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_ANSWER_BYTES) {
      res.destroy();
      throw new Error(`the answer to ${what} is over ${MAX_ANSWER_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The apiserver's Status (reason and message) as a KubeApiError; never the request, which carries the token. */
function apiError(status: number, text: string, res: IncomingMessage): KubeApiError {
  let reason = '';
  let message = text.slice(0, 300);
  try {
    const parsed = JSON.parse(text) as { reason?: string; message?: string };
    reason = parsed.reason ?? '';
    message = parsed.message ?? message;
  } catch {
    // not a Status: keep the start of the body
  }
  const retryAfter = Number(res.headers['retry-after']);
  return new KubeApiError(
    message,
    status,
    reason,
    Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined,
  );
}
