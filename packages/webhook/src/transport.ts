import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { toSinkError } from '@keventer/core';
import { SINK_NAME } from './options.js';

export interface WebhookRequest {
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface WebhookAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The start of the answer, for error messages. */
  readonly text: string;
}

// Enough of an error page to say what went wrong.
const MAX_ANSWER_CHARS = 4096;

/**
 * One request with node:http rather than fetch: fetch refuses a body on GET,
 * and kube-eventer's webhook sends its body with GET, which receivers built
 * for it read. Redirects are not followed (a redirected POST loses its body);
 * a 3xx is reported as a failure. Network errors become retryable SinkErrors.
 */
export async function sendRequest(
  url: URL,
  request: WebhookRequest,
  signal: AbortSignal,
): Promise<WebhookAnswer> {
  const transport = url.protocol === 'https:' ? https : http;
  const body = Buffer.from(request.body, 'utf8');
  try {
    return await new Promise<WebhookAnswer>((resolve, reject) => {
      const req = transport.request(
        url,
        {
          method: request.method,
          headers: { ...request.headers, 'content-length': String(body.length) },
          signal,
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            if (text.length < MAX_ANSWER_CHARS) text += chunk;
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: text.slice(0, MAX_ANSWER_CHARS),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  } catch (error) {
    throw toSinkError(SINK_NAME, error);
  }
}
