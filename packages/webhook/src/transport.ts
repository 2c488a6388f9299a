import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { toSinkError } from '@keventer/core/kit';
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

// Enough of an error page to say what went wrong; the rest is not read: an
// endless answer would otherwise hold the request until its timeout.
const MAX_ANSWER_BYTES = 4096;

/**
 * One request with node:http rather than fetch: fetch refuses a body on GET,
 * and kube-eventer's webhook sends its body with GET, which receivers built
 * for it read. Redirects are not followed (a redirected POST loses its body,
 * a 307 re-sends it elsewhere): a 3xx is reported as a permanent failure.
 * At most 4 KiB of the answer is read. Network errors become retryable
 * SinkErrors, certificate problems permanent ones (toSinkError).
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
          const chunks: Buffer[] = [];
          let read = 0;
          const answer = () => ({
            status: res.statusCode ?? 0,
            headers: res.headers,
            // A multi-byte character cut at the bound decodes as U+FFFD, fine in an error.
            text: Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8'),
          });
          res.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            read += chunk.length;
            if (read < MAX_ANSWER_BYTES) return;
            resolve(answer());
            // Stop reading: the status and the start of the body are all we need.
            res.destroy();
          });
          res.on('end', () => resolve(answer()));
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
