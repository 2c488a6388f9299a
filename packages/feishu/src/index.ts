export {
  type FeishuOptions,
  feishu,
  feishu as default,
  MAX_BODY_BYTES,
  SINK_NAME,
} from './definition.js';
export { type FeishuMsgType, feishuOptions, MSG_TYPES } from './options.js';
export { type Layout, type Message, renderMessage } from './render.js';
export { feishuSign, signatureFields } from './sign.js';
