import {
  chatOptions,
  kubeEventerFilterOptions,
  option,
  type ParsedOptions,
} from '@keventer/core/kit';

export const SINK_NAME = 'wechat';

/** WeCom's API host, for the application API and robot keys given alone. */
export const DEFAULT_API_BASE = 'https://qyapi.weixin.qq.com';

const httpUrl = ['https', 'http'];

/**
 * kube-eventer's `wechat` options (the WeCom application form) plus the group
 * robot form. Which form a sink uses follows from the options given; see form.ts.
 */
export const wechatOptions = {
  corp_id: option.string({ description: 'Application form: the corp id (企业ID).' }),
  corp_secret: option.string({ description: 'Application form: its Secret.', secret: true }),
  agent_id: option.number({ description: 'Application form: its AgentId.', integer: true, min: 0 }),
  to_user: option.list({ description: 'Application form: userids to notify (default @all).' }),
  endpoint: option.url({
    description: "Group robot form: the robot's webhook URL, .../cgi-bin/webhook/send?key=KEY.",
    protocols: httpUrl,
  }),
  key: option.string({ description: "Group robot form: the robot's key.", secret: true }),
  mentioned_list: option.list({
    description: 'Group robot form, text only: userids to @-mention (@all for everyone).',
  }),
  mentioned_mobile_list: option.list({
    description: 'Group robot form, text only: mobile numbers to @-mention.',
  }),
  api_base: option.url({
    description: `WeCom's API base URL (default ${DEFAULT_API_BASE}), e.g. a proxy or a test server.`,
    protocols: httpUrl,
  }),
  msg_type: option.enum(['text', 'markdown'], {
    description: 'Message type: text (kube-eventer layout) or markdown.',
    default: 'text',
  }),
  ...kubeEventerFilterOptions,
  label: chatOptions.label(', e.g. the cluster name; repeat the key'),
  template: chatOptions.template(' (labels still come first)'),
} as const;

export type WechatOptions = ParsedOptions<typeof wechatOptions>;
