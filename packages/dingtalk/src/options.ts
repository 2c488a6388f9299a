import { kubeEventerFilterOptions, option } from '@keventer/core';

export const DEFAULT_ENDPOINT = 'https://oapi.dingtalk.com/robot/send';

/**
 * The options of kube-eventer's dingtalk sink, under its names, plus
 * mentions and a template. In a URI the endpoint is the URL before '?':
 * `dingtalk:https://oapi.dingtalk.com/robot/send?access_token=T&label=prod`.
 */
export const dingtalkOptions = {
  endpoint: option.url({
    description: 'The robot API URL without its query (tests point it at a fake server).',
    default: DEFAULT_ENDPOINT,
    protocols: ['https', 'http'],
  }),
  access_token: option.string({
    description: 'The robot token: the access_token value of its webhook URL.',
    required: true,
    secret: true,
  }),
  sign: option.string({
    description: "The robot's signing secret (SEC...), when its security setting is signing.",
    secret: true,
  }),
  label: option.list({
    description:
      "Lines put first in every message, one per value; the place for the robot's security keyword.",
    split: false,
  }),
  ...kubeEventerFilterOptions,
  msg_type: option.enum(['text', 'markdown'], {
    description: 'The DingTalk message type.',
    default: 'text',
  }),
  cluster_id: option.string({
    description: 'Cluster id shown in markdown messages (and {{ cluster_id }} in a template).',
  }),
  region: option.string({
    description: 'Region shown in markdown messages (and {{ region }} in a template).',
  }),
  at_mobiles: option.list({
    description: 'Mobile numbers of group members to @mention in every message.',
  }),
  at_user_ids: option.list({
    description: 'DingTalk user ids of group members to @mention in every message.',
  }),
  at_all: option.boolean({
    description: 'Mention everyone in the group (@all) in every message.',
    default: false,
  }),
  template: option.string({
    description:
      'A logic-less template for the message body ({{ .Reason }}, {{ involvedObject.name }}...); the labels still come first.',
  }),
};
