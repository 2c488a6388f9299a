import { kubeEventerFilterOptions, option } from '@keventer/core';

/** The message types this sink sends. */
export const MSG_TYPES = ['text', 'post', 'interactive'] as const;
export type FeishuMsgType = (typeof MSG_TYPES)[number];

/**
 * The options under kube-eventer's names (snake_case, as its dingtalk sink).
 * In a URI the endpoint is the webhook URL before '?':
 * `feishu:https://open.feishu.cn/open-apis/bot/v2/hook/TOKEN?sign=S&msg_type=interactive`.
 */
export const feishuOptions = {
  endpoint: option.url({
    description:
      'The bot webhook URL, https://open.feishu.cn/open-apis/bot/v2/hook/TOKEN (Lark: open.larksuite.com); the token in its path is a secret.',
    required: true,
    secret: true,
    protocols: ['https', 'http'],
  }),
  sign: option.string({
    description: "The bot's signing secret, when its security setting is signature verification.",
    secret: true,
  }),
  msg_type: option.enum(MSG_TYPES, {
    description: 'text, post (rich text with a title) or interactive (a card coloured by level).',
    default: 'text',
  }),
  label: option.list({
    description:
      "Lines put first in every message, one per value; the place for the bot's security keyword.",
    split: false,
  }),
  ...kubeEventerFilterOptions,
  template: option.string({
    description:
      'A logic-less template for each event ({{ .Reason }}, {{ involvedObject.name }}...); labels still come first, the post title and card header stay.',
  }),
};
