import { toSinkError } from '../sink/to-sink-error.js';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export interface SendJsonOptions {
  readonly signal: AbortSignal;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Sends a JSON body (none for GET and HEAD) and reads the whole answer. Network failures and aborts
 * become retryable SinkErrors (secrets redacted); judging the status and the
 * body is the caller's job, since chat services answer errors with HTTP 200.
 */
export async function sendJson(
  sink: string,
  url: string | URL,
  body: unknown,
  options: SendJsonOptions,
): Promise<HttpAnswer> {
  const method = options.method ?? 'POST';
  const bodyless = method === 'GET' || method === 'HEAD';
  try {
    const response = await fetch(url, {
      method,
      headers: bodyless
        ? { ...options.headers }
        : { 'content-type': 'application/json; charset=utf-8', ...options.headers },
      body: bodyless ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: options.signal,
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  } catch (error) {
    throw toSinkError(sink, error);
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
