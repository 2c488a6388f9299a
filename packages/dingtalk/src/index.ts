export { RATE_LIMIT_RETRY_AFTER_MS } from './answer.js';
export { type DingTalkOptions, dingtalk, dingtalk as default, SINK_NAME } from './definition.js';
export { DEFAULT_ENDPOINT, dingtalkOptions } from './options.js';
export { MAX_BODY_BYTES } from './render.js';
