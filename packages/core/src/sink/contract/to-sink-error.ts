import { isSinkError, permanentError, retryableError, type SinkError } from './errors.js';
import { isRetryableStatus } from './http-status.js';
import { certificateHint } from './tls-errors.js';

// Transport failures that a later attempt can get past (node:net, dns, undici).
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

// Bugs, not outages: retrying them only delays the report.
const PROGRAMMING_ERRORS = new Set([
  'TypeError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'EvalError',
  'URIError',
]);

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
  errors?: unknown;
  retryable?: unknown;
  retriable?: unknown;
  statusCode?: unknown;
  status?: unknown;
}

/**
 * Classifies whatever a sink or its client library threw. Network errors and
 * timeouts are retryable, certificate problems and programming errors
 * (TypeError, ...) permanent; an explicit `retryable`/`retriable` flag
 * (kafkajs) or HTTP status wins. fetch's `TypeError: fetch failed` is judged
 * by its cause, and the message says what the cause was.
 * Unknown errors are retryable: the engine's retry budget bounds them, while
 * calling them permanent would drop events for a passing outage.
 */
export function toSinkError(sink: string, err: unknown): SinkError {
  if (isSinkError(err)) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorLike;
  const message = describe(err);

  // Before the network codes: a bad certificate fails every attempt alike.
  const cert = findInChain(err, (c) => typeof c.code === 'string' && !!certificateHint(c.code));
  if (cert) {
    const code = String(cert.code);
    return permanentError(
      sink,
      `TLS certificate problem (${code}): ${certificateHint(code)}. ${message}`,
      { cause: err },
    );
  }
  const net = findInChain(err, (c) => typeof c.code === 'string' && NETWORK_CODES.has(c.code));
  if (net)
    return retryableError(sink, `network error (${String(net.code)}): ${message}`, { cause: err });
  if (findInChain(err, (c) => c.name === 'TimeoutError')) {
    return retryableError(sink, `timed out: ${message}`, { cause: err });
  }
  // Cancelled by the engine (shutdown, its own deadline): the batch was fine.
  if (findInChain(err, (c) => c.name === 'AbortError')) {
    return retryableError(sink, `aborted: ${message}`, { cause: err });
  }

  const flag = typeof e.retryable === 'boolean' ? e.retryable : e.retriable;
  if (typeof flag === 'boolean') {
    return flag
      ? retryableError(sink, message, { cause: err })
      : permanentError(sink, message, { cause: err });
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : e.status;
  if (typeof status === 'number' && status >= 400 && status <= 599) {
    const make = isRetryableStatus(status) ? retryableError : permanentError;
    return make(sink, message, { statusCode: status, cause: err });
  }
  // A TypeError wrapping a cause (fetch's "fetch failed") is about that cause.
  if (isWrapper(e)) {
    const make = toSinkError(sink, e.cause).retryable ? retryableError : permanentError;
    return make(sink, message, { cause: err });
  }
  if (typeof e.name === 'string' && PROGRAMMING_ERRORS.has(e.name)) {
    return permanentError(sink, message, { cause: err });
  }
  return retryableError(sink, message, { cause: err });
}

function isWrapper(e: ErrorLike): boolean {
  return e.name === 'TypeError' && typeof e.cause === 'object' && e.cause !== null;
}

// "TypeError: fetch failed: connect ECONNREFUSED 10.0.0.1:443": the causes'
// messages too, since the outer one often says nothing.
function describe(err: unknown): string {
  if (!(err instanceof Error)) {
    return typeof err === 'string' ? err : `non-error thrown: ${String(err)}`;
  }
  const parts = [err.message ? `${err.name}: ${err.message}` : err.name];
  let cause: unknown = err.cause;
  for (let depth = 0; depth < 4 && cause instanceof Error; depth++) {
    const text = cause.message || firstOf(cause);
    if (text && !parts.some((p) => p.includes(text))) parts.push(text);
    cause = cause.cause;
  }
  return parts.join(': ');
}

// An AggregateError (happy eyeballs) has an empty message; its first error says why.
function firstOf(err: Error): string {
  const first = (err as { errors?: unknown }).errors;
  return Array.isArray(first) && first[0] instanceof Error ? first[0].message : '';
}

// Walks `cause` and AggregateError `errors` (happy-eyeballs connects), bounded.
function findInChain(err: unknown, test: (e: ErrorLike) => boolean): ErrorLike | undefined {
  const queue: unknown[] = [err];
  for (let seen = 0; queue.length > 0 && seen < 16; seen++) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null) continue;
    const e = current as ErrorLike;
    if (test(e)) return e;
    if (e.cause !== undefined) queue.push(e.cause);
    if (Array.isArray(e.errors)) queue.push(...e.errors);
  }
  return undefined;
}
