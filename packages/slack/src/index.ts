export { SINK_NAME, type SlackOptions, slack, slack as default } from './definition.js';
export { MSG_TYPES, type SlackMsgType, slackOptions } from './options.js';
export { type Block, type Layout, LIMITS, renderMessage, type SlackBody } from './render.js';
