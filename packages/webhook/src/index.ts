import type { OptionsInput } from '@keventer/core/kit';
import type { webhookOptions } from './options.js';

export type { BodyFormat, BodyRenderer } from './body.js';
export { defaultBody } from './body.js';
export type { TemplateState } from './configmap-template.js';
export { SINK_NAME, webhookOptions } from './options.js';
export { SIGNATURE_HEADER, signatureHeaders, TIMESTAMP_HEADER } from './signature.js';
export type { WebhookSink } from './sink.js';
export { webhook, webhook as default } from './webhook.js';

/** The options `webhook(options)` takes in code. */
export type WebhookSinkOptions = OptionsInput<typeof webhookOptions>;
