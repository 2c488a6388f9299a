import { chatOptions, kubeEventerFilterOptions, option } from '@keventer/core/kit';

/** The message types this sink sends. */
export const MSG_TYPES = ['text', 'post', 'interactive'] as const;
export type FeishuMsgType = (typeof MSG_TYPES)[number];

/**
 * The options under the names of kube-eventer's chat sinks. In a URI the endpoint is the
 * URL before '?': `feishu:https://open.feishu.cn/open-apis/bot/v2/hook/TOKEN?sign=S`.
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
  label: chatOptions.label("; the place for the bot's security keyword"),
  ...kubeEventerFilterOptions,
  template: chatOptions.template('; labels still come first, the post title and card header stay'),
};
