import { chatOptions, kubeEventerFilterOptions, option } from '@keventer/core/kit';

/** The message forms this sink sends. */
export const MSG_TYPES = ['text', 'blocks'] as const;
export type SlackMsgType = (typeof MSG_TYPES)[number];

/**
 * The options, under the names of kube-eventer's chat sinks. In a URI the endpoint is the
 * URL before '?': `slack:https://hooks.slack.com/services/T000/B000/XXXX?msg_type=blocks`.
 */
export const slackOptions = {
  endpoint: option.url({
    description:
      'The incoming webhook URL, https://hooks.slack.com/services/T.../B.../...; its path is the secret.',
    required: true,
    secret: true,
    protocols: ['https', 'http'],
  }),
  msg_type: option.enum(MSG_TYPES, {
    description: 'text (one mrkdwn text) or blocks (a header and a section per event).',
    default: 'text',
  }),
  label: chatOptions.label(' (mrkdwn, not escaped)'),
  ...kubeEventerFilterOptions,
  template: chatOptions.template(', values escaped for mrkdwn; labels still come first'),
};
