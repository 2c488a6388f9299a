import type { KubeEvent } from '../event/model.js';
import type { SinkError } from '../sink/contract/errors.js';
import type { Sink } from '../sink/contract/sink.js';
import { type HttpAnswer, type SendJsonOptions, sendJson } from './http.js';

/**
 * A sink that sends each batch as one message: `send` gets non-empty
 * batches only and makes one attempt, throwing the SinkError of a failure.
 * Retries, waits and queues are the delivery engine's.
 */
export function messageSink(
  name: string,
  send: (batch: readonly KubeEvent[], signal: AbortSignal) => Promise<unknown>,
): Sink {
  return {
    name,
    async write(batch, { signal }) {
      if (batch.length > 0) await send(batch, signal);
    },
  };
}

/** What `sendChecked` needs besides sendJson's options: how the service's answer reads. */
export interface SendCheckedOptions extends SendJsonOptions {
  /** The SinkError an answer means, or undefined when the message was delivered. */
  readonly judge: (answer: HttpAnswer) => SinkError | undefined;
}

/** sendJson, then throws the SinkError `judge` finds in the answer; resolves with the answer otherwise. */
export async function sendChecked(
  sink: string,
  url: string | URL,
  body: unknown,
  options: SendCheckedOptions,
): Promise<HttpAnswer> {
  const answer = await sendJson(sink, url, body, options);
  const error = options.judge(answer);
  if (error) throw error;
  return answer;
}
