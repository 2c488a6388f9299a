import {
  classifyHttpResponse,
  type EventFilter,
  isSecretHeader,
  type KubeEvent,
  type Sink,
} from '@keventer/core';
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
  const scrub = scrubber(config.headers, signingSecret);

  const send = async (events: readonly KubeEvent[], signal: AbortSignal): Promise<void> => {
    const body = batchBody(events, render, format);
    const headers = {
      'content-type': contentType(format),
      'user-agent': 'keventer-webhook',
      ...config.headers,
      ...(signingSecret === undefined ? {} : signatureHeaders(signingSecret, body)),
    };
    const answer = await sendRequest(url, { method, headers, body }, signal);
    const snippet = scrub(answer.text);
    const failure = classifyHttpResponse(SINK_NAME, answer.status, answer.headers, snippet);
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

/**
 * Removes our secrets from an answer before it goes into an error message: a
 * receiver may echo the token it refused. Covers secret header values (also
 * the credentials after `Bearer `) and the signing secret.
 */
function scrubber(
  headers: Readonly<Record<string, string>>,
  signingSecret: string | undefined,
): (text: string) => string {
  const secrets = Object.entries(headers)
    .filter(([name]) => isSecretHeader(name))
    .flatMap(([, value]) => [value, value.replace(/^\S+\s+/, '')])
    .concat(signingSecret ?? [])
    .filter((secret) => secret.length >= 4)
    .sort((a, b) => b.length - a.length);
  return (text) => secrets.reduce((out, secret) => out.split(secret).join('***'), text);
}
