import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import * as kit from '@keventer/core/kit';
import type { SlsTarget } from './endpoint.js';

/** An answer: its status, its request id, and at most kit.MAX_ANSWER_BYTES of its body. */
export interface SlsAnswer {
  readonly status: number;
  readonly requestId: string;
  readonly text: string;
  /** The headers a judge reads besides the status: where a redirect points, a proxy's wait. */
  readonly location?: string;
  readonly retryAfter?: string;
}

/** Kept-alive connections to one target, closed with the sink. */
export function targetAgent(target: SlsTarget): HttpAgent {
  const options = { keepAlive: true, maxSockets: 16 };
  return target.protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options);
}

/**
 * One POST of a binary body. node:http rather than fetch: fetch sends its own
 * Host, and SLS reads the project from Host (also when the endpoint is an IP).
 * Network errors and aborts become retryable SinkErrors; judging the answer is
 * the caller's job. Redirects are not followed.
 */
export function postBytes(
  sink: string,
  target: SlsTarget,
  agent: HttpAgent,
  request: {
    readonly path: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: Uint8Array;
    readonly signal: AbortSignal;
  },
): Promise<SlsAnswer> {
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SlsAnswer>((resolve, reject) => {
    const req = send(
      {
        method: 'POST',
        host: target.connectHost,
        port: target.port,
        path: request.path,
        // The certificate is the project's host's, whatever address the socket has.
        servername: target.host.replace(/:\d+$/, ''),
        headers: { ...request.headers, host: target.host, 'content-length': request.body.length },
        agent,
        signal: request.signal,
      },
      (res) => readAnswer(res).then(resolve, reject),
    );
    req.on('error', reject);
    req.end(request.body);
  }).catch((error: unknown) => {
    throw kit.toSinkError(sink, error);
  });
}

async function readAnswer(res: IncomingMessage): Promise<SlsAnswer> {
  const chunks: Buffer[] = [];
  let read = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    // Bounded: an endless answer (a broken proxy) must not grow the heap.
    if (read < kit.MAX_ANSWER_BYTES) chunks.push(chunk.subarray(0, kit.MAX_ANSWER_BYTES - read));
    read += chunk.length;
    if (read >= kit.MAX_ANSWER_BYTES) {
      res.destroy();
      break;
    }
  }
  const { location, 'retry-after': retryAfter, 'x-log-requestid': requestId } = res.headers;
  return {
    status: res.statusCode ?? 0,
    requestId: typeof requestId === 'string' ? requestId : '',
    text: Buffer.concat(chunks).toString('utf8'),
    ...(location ? { location } : {}),
    ...(retryAfter ? { retryAfter } : {}),
  };
}
