import type { ServerResponse } from 'node:http';

/** A Kubernetes `Status` object, the body of every error answer. */
export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  code: number;
  details?: { kind?: string; name?: string; retryAfterSeconds?: number };
}

/** Builds a failure Status. */
export function kubeStatus(
  code: number,
  reason: string,
  message: string,
  details?: KubeStatus['details'],
): KubeStatus {
  const status: KubeStatus = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
  if (details) status.details = details;
  return status;
}

/** The Status of a too-old resourceVersion, as the watch cache reports it. */
export function tooOldStatus(requested: number | string, oldest: number): KubeStatus {
  return kubeStatus(410, 'Expired', `too old resource version: ${requested} (${oldest})`);
}

/** An error that the request handler turns into a Status answer. */
export class StatusError extends Error {
  constructor(readonly status: KubeStatus) {
    super(status.message);
    this.name = 'StatusError';
  }
}

/** Writes a JSON answer (a complete, non-streaming response). */
export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** The HTTP code and Status body for an error thrown while answering. */
export function statusOf(err: unknown): [number, KubeStatus] {
  const status =
    err instanceof StatusError
      ? err.status
      : kubeStatus(
          500,
          'InternalError',
          `Internal error occurred: ${(err as Error)?.message ?? err}`,
        );
  return [status.code, status];
}
