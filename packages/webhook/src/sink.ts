import {
  classifyHttpResponse,
  type EventFilter,
  type KubeEvent,
  type Sink,
} from '@keventer/core/kit';
import { type BodyFormat, type BodyRenderer, batchBody, contentType } from './body.js';
import type { TemplateState } from './configmap-template.js';
import { SINK_NAME } from './options.js';
import { signatureHeaders } from './signature.js';
import { sendRequest } from './transport.js';

/** A webhook sink; `template` tells which ConfigMap template is in use and any problem re-reading it. */
export interface WebhookSink extends Sink {
  readonly template?: TemplateState;
}

export interface WebhookSinkConfig {
  readonly url: URL;
  readonly method: string;
  /** Lower-case names; they override the defaults (a Content-Type of your own). */
  readonly headers: Readonly<Record<string, string>>;
  readonly format: BodyFormat;
  readonly render: BodyRenderer;
  readonly signingSecret?: string;
  readonly filter: EventFilter;
  readonly template?: { readonly state: TemplateState; close(): void };
}

export function createWebhookSink(config: WebhookSinkConfig): WebhookSink {
  const { url, method, format, render, signingSecret, template } = config;
  // With one request per event, a retried batch skips the events already accepted.
  const accepted = new WeakSet<KubeEvent>();

  const send = async (events: readonly KubeEvent[], signal: AbortSignal): Promise<void> => {
    const body = batchBody(events, render, format);
    const headers = {
      'content-type': contentType(format),
      'user-agent': 'keventer-webhook',
      ...config.headers,
      ...(signingSecret === undefined ? {} : signatureHeaders(signingSecret, body)),
    };
    const answer = await sendRequest(url, { method, headers, body }, signal);
    // A receiver may echo a token it refused: defineSink masks the secret options
    // (header values, credentials after `Bearer `, signing_secret) in every error.
    const failure = classifyHttpResponse(SINK_NAME, answer.status, answer.headers, answer.text);
    if (failure) throw failure;
  };

  return {
    name: SINK_NAME,
    filter: config.filter,
    get template() {
      return template?.state;
    },
    async write(batch, { signal }) {
      if (format !== 'event') {
        if (batch.length > 0) await send(batch, signal);
        return;
      }
      for (const event of batch) {
        if (accepted.has(event)) continue;
        await send([event], signal);
        accepted.add(event);
      }
    },
    async close() {
      template?.close();
    },
  };
}
