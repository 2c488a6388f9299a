import { kubeEventerFilterOptions, option } from '@keventer/core';

/** The message forms this sink sends. */
export const MSG_TYPES = ['text', 'blocks'] as const;
export type SlackMsgType = (typeof MSG_TYPES)[number];

/**
 * The options, under the names of kube-eventer's chat sinks (snake_case).
 * In a URI the endpoint is the webhook URL before '?':
 * `slack:https://hooks.slack.com/services/T000/B000/XXXX?level=Warning&msg_type=blocks`.
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
  label: option.list({
    description: 'Lines put first in every message, one per value (mrkdwn, not escaped).',
    split: false,
  }),
  ...kubeEventerFilterOptions,
  template: option.string({
    description:
      'A logic-less template for each event ({{ .Reason }}, {{ involvedObject.name }}...), values escaped for mrkdwn; labels still come first.',
  }),
};
