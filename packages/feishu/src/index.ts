export { type FeishuOptions, feishu, feishu as default, SINK_NAME } from './definition.js';
export { type FeishuMsgType, feishuOptions, MSG_TYPES } from './options.js';
export { type Layout, MAX_BODY_BYTES, renderBody } from './render.js';
export { feishuSign, signatureFields } from './sign.js';
