import { STATUS_CODES } from 'node:http';
import { snippet } from './clean-text.js';
import { permanentError, retryableError, type SinkError } from './errors.js';

/** Fetch `Headers`, or Node's `IncomingHttpHeaders`-like records. */
export type HeadersLike =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | number | undefined>>;

const SNIPPET_MAX = 200;

/**
 * Classifies an HTTP response for an HTTP sink: `undefined` for 2xx, else the
 * SinkError to throw. 408/425/429/5xx are retryable (with the server's
 * Retry-After), every other status is permanent; a 3xx says where it points
 * (see `redirectError`).
 */
export function classifyHttpResponse(
  sink: string,
  status: number,
  headers?: HeadersLike,
  bodySnippet?: string,
): SinkError | undefined {
  if (status >= 200 && status < 300) return undefined;
  if (status >= 300 && status < 400)
    return redirectError(sink, status, headerValue(headers, 'location'));
  // One line, bounded: bodies can be whole HTML error pages. Secrets are
  // redacted by the SinkError constructor.
  const body = snippet(bodySnippet ?? '', SNIPPET_MAX);
  const text = statusText(status);
  const msg = body ? `${text}: ${body}` : text;
  if (isRetryableStatus(status)) {
    const retryAfterMs = parseRetryAfter(headerValue(headers, 'retry-after'));
    const after = retryAfterMs === undefined ? '' : ` (retry after ${retryAfterMs} ms)`;
    return retryableError(sink, `${msg}${after}`, { statusCode: status, retryAfterMs });
  }
  return permanentError(sink, msg, { statusCode: status });
}

/**
 * A 3xx answer. No sink follows redirects: fetch would turn a POST into a
 * bodyless GET (301/302) or re-send the message, and any secret in its URL,
 * to another host (307/308). Permanent: the endpoint must be fixed.
 */
export function redirectError(sink: string, status: number, location?: string | null): SinkError {
  const to = location ? ` to ${whereTo(location)}` : '';
  return permanentError(
    sink,
    `${statusText(status)}: the endpoint redirects${to}, and keventer follows no redirect (it would send the message, and any secret in the URL, somewhere else): set the endpoint to the URL the service documents`,
    { statusCode: status },
  );
}

// The origin only: the rest of a Location may hold a token.
function whereTo(location: string): string {
  const text = location.slice(0, 2048).trim();
  if (!URL.canParse(text)) return 'another path on the same server';
  return new URL(text).origin;
}

function statusText(status: number): string {
  return `HTTP ${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;
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
