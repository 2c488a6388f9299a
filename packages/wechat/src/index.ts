export type { AppForm, RobotForm, WeComForm } from './form.js';
export { DEFAULT_API_BASE, SINK_NAME, type WechatOptions, wechatOptions } from './options.js';
export { CONTENT_MAX_BYTES, type Layout, type OutgoingMessage, renderMessage } from './render.js';
export { wechat, wechat as default } from './wechat.js';
