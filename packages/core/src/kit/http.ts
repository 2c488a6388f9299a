import { redirectError } from '../sink/contract/http-status.js';
import { toSinkError } from '../sink/contract/to-sink-error.js';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  /** The answer's first `MAX_ANSWER_BYTES` at most, as UTF-8. */
  readonly text: string;
  /** True when reading stopped at the bound (the answer may have been longer). */
  readonly truncated?: boolean;
}

export interface SendJsonOptions {
  readonly signal: AbortSignal;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** The most of the answer read, for services that answer per item. @default MAX_ANSWER_BYTES (16 KiB) */
  readonly maxAnswerBytes?: number;
}

/**
 * The most of an answer a sink reads. The chat services answer a few hundred
 * bytes of JSON; an endless body (a broken proxy, a hostile server) must not
 * grow the heap (it took a sink to 3.5 GiB in 12 s).
 */
export const MAX_ANSWER_BYTES = 16 * 1024;

/**
 * Sends a JSON body (none for GET and HEAD): a value is stringified, a string
 * or bytes (e.g. gzipped JSON, with its content-encoding header) are sent as
 * they are. Reads at most `maxAnswerBytes` (`MAX_ANSWER_BYTES`) of the answer. Redirects are not followed: a 3xx is a
 * permanent SinkError saying where it pointed. Network failures and aborts
 * become retryable SinkErrors, certificate problems permanent ones (secrets
 * redacted); judging the status and the body is the caller's job, since chat
 * services answer errors with HTTP 200.
 */
export async function sendJson(
  sink: string,
  url: string | URL,
  body: unknown,
  options: SendJsonOptions,
): Promise<HttpAnswer> {
  const method = options.method ?? 'POST';
  const bodyless = method === 'GET' || method === 'HEAD';
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: bodyless
        ? { ...options.headers }
        : { 'content-type': 'application/json; charset=utf-8', ...options.headers },
      body: bodyless ? undefined : bodyOf(body),
      signal: options.signal,
      redirect: 'manual',
    });
  } catch (error) {
    throw toSinkError(sink, error);
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => {});
    throw redirectError(sink, response.status, response.headers.get('location'));
  }
  try {
    const { text, truncated } = await readBoundedText(
      response,
      options.maxAnswerBytes ?? MAX_ANSWER_BYTES,
    );
    return { status: response.status, headers: response.headers, text, truncated };
  } catch (error) {
    throw toSinkError(sink, error);
  }
}

function bodyOf(body: unknown): string | Uint8Array {
  return typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
}

/** Reads at most `maxBytes` of a fetch answer as UTF-8, then stops reading (the rest is cancelled). */
export async function readBoundedText(
  response: Response,
  maxBytes: number,
): Promise<{ text: string; truncated: boolean }> {
  if (response.body === null) return { text: '', truncated: false };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text: text + decoder.decode(), truncated: false };
      const room = maxBytes - read;
      read += value.byteLength;
      if (value.byteLength >= room) {
        // Stop here: a cut multi-byte character decodes as U+FFFD, which is fine in an error.
        text += decoder.decode(value.subarray(0, room));
        return { text, truncated: true };
      }
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** The answer as JSON, or undefined when it is not JSON (an HTML error page, a proxy). */
export function parseJsonAnswer(answer: HttpAnswer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(answer.text);
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
