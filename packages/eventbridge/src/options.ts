import { option } from '@keventer/core/kit';

/**
 * kube-eventer's options, with its names and environment fallbacks
 * (`eventbridge:?clusterId=c1&regionId=cn-hangzhou&accessKeyId=...&accessKeySecret=...&eventBusName=default`),
 * plus what it learnt from the ECS metadata service (accountId) and an endpoint override.
 */
export const eventbridgeOptions = {
  clusterId: option.string({
    description:
      "The cluster ID, written in each event's subject (acs:cs:<region>:<account>:<clusterId>/...).",
    required: true,
    env: 'ClusterId',
  }),
  regionId: option.string({
    description:
      'The region of the event bus, e.g. cn-hangzhou: it picks the endpoint and is written in the subject.',
    required: true,
    env: 'RegionId',
  }),
  accountId: option.string({
    description:
      "The Alibaba Cloud account ID that owns the bus, in the endpoint's host name and the subject; unset, it is read from the ECS metadata service, as kube-eventer does.",
    env: 'OwnerAccountId',
  }),
  accessKeyId: option.string({
    description:
      "The AccessKey ID (of a RAM user, or STS) that signs each request; unset with accessKeySecret, the node's RAM role credentials are read from the ECS metadata, as kube-eventer does.",
    env: 'AccessKeyId',
  }),
  accessKeySecret: option.string({
    description: 'The AccessKey secret that signs each request; never sent.',
    secret: true,
    env: 'AccessKeySecret',
  }),
  securityToken: option.string({
    description:
      'The STS security token, when accessKeyId/accessKeySecret are temporary STS credentials.',
    default: '',
    secret: true,
    env: 'SecurityToken',
  }),
  eventBusName: option.string({
    description: 'The event bus the events are put on (aliyuneventbusname of each event).',
    default: 'default',
    env: 'EventBusName',
  }),
  internal: option.boolean({
    description:
      "Use the VPC endpoint <account>.eventbridge.<region>-vpc.aliyuncs.com (kube-eventer's default); false: the public <account>.eventbridge.<region>.aliyuncs.com.",
    default: true,
  }),
  metadataEndpoint: option.url({
    description:
      "The ECS metadata service the account ID and the RAM role's credentials are read from when they are not given.",
    protocols: ['http', 'https'],
    default: 'http://100.100.100.200',
  }),
  endpoint: option.url({
    description:
      'Send to this URL instead of the endpoint made from accountId, regionId and internal (a proxy, a test server).',
    protocols: ['http', 'https'],
  }),
};
