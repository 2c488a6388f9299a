import { STATUS_CODES } from 'node:http';
import { permanentError, retryableError, type SinkError } from './errors.js';

/** Fetch `Headers`, or Node's `IncomingHttpHeaders`-like records. */
export type HeadersLike =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | number | undefined>>;

const SNIPPET_MAX = 200;

/**
 * Classifies an HTTP response for an HTTP sink: `undefined` for 2xx, else the
 * SinkError to throw. 408/425/429/5xx are retryable (with the server's
 * Retry-After), every other status is permanent.
 */
export function classifyHttpResponse(
  sink: string,
  status: number,
  headers?: HeadersLike,
  bodySnippet?: string,
): SinkError | undefined {
  if (status >= 200 && status < 300) return undefined;
  const snippet = shorten(bodySnippet ?? '');
  const text = `HTTP ${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;
  const msg = snippet ? `${text}: ${snippet}` : text;
  if (isRetryableStatus(status)) {
    const retryAfterMs = parseRetryAfter(headerValue(headers, 'retry-after'));
    const after = retryAfterMs === undefined ? '' : ` (retry after ${retryAfterMs} ms)`;
    return retryableError(sink, `${msg}${after}`, { statusCode: status, retryAfterMs });
  }
  return permanentError(sink, msg, { statusCode: status });
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || (status >= 500 && status <= 599);
}

/**
 * Retry-After as milliseconds from `now`: delay-seconds or an HTTP-date (a
 * date in the past gives 0). `undefined` when absent or unreadable.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  // RFC 9110 says whole seconds; some servers send fractions.
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // HTTP-dates all start with a day name; Date.parse alone takes '-5' as a year.
  const at = /^[A-Za-z]{3}/.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function headerValue(headers: HeadersLike | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof headers.get === 'function') return headers.get(name) ?? undefined;
  const record = headers as Readonly<
    Record<string, string | readonly string[] | number | undefined>
  >;
  for (const [key, value] of Object.entries(record)) {
    if (key.toLowerCase() !== name) continue;
    return Array.isArray(value) ? value[0] : value === undefined ? undefined : String(value);
  }
  return undefined;
}

// One line, bounded: bodies can be whole HTML error pages. Secrets are
// redacted by the SinkError constructor.
function shorten(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > SNIPPET_MAX ? `${line.slice(0, SNIPPET_MAX)}…` : line;
}
