import { chatOptions, kubeEventerFilterOptions, option } from '@keventer/core/kit';

export const DEFAULT_ENDPOINT = 'https://oapi.dingtalk.com/robot/send';

/**
 * kube-eventer's dingtalk options under its names, plus mentions and a template. In a URI
 * the endpoint is the URL before '?': `dingtalk:https://oapi.dingtalk.com/robot/send?access_token=T`.
 */
export const dingtalkOptions = {
  endpoint: option.url({
    description: 'The robot API URL without its query (tests point it at a fake server).',
    default: DEFAULT_ENDPOINT,
    protocols: ['https', 'http'],
  }),
  access_token: option.string({ description: 'The robot token.', required: true, secret: true }),
  sign: option.string({ description: "The robot's signing secret (SEC...).", secret: true }),
  label: chatOptions.label("; the place for the robot's security keyword"),
  ...kubeEventerFilterOptions,
  msg_type: option.enum(['text', 'markdown'], { description: 'Message type.', default: 'text' }),
  cluster_id: option.string({ description: 'Cluster id in markdown and {{ cluster_id }}.' }),
  region: option.string({ description: 'Region shown in markdown and as {{ region }}.' }),
  at_mobiles: option.list({ description: 'Mobile numbers to @mention in every message.' }),
  at_user_ids: option.list({ description: 'DingTalk user ids to @mention in every message.' }),
  at_all: option.boolean({ description: 'Mention everyone (@all).', default: false }),
  template: chatOptions.template('; the labels still come first'),
};
