import { option } from '@keventer/core/kit';
import { ADDON_TOKEN_CONFIG } from './credentials.js';
import { ECS_METADATA } from './region.js';

/** Body compressions PutLogs takes (`x-log-compresstype`); lz4 is kube-eventer's (its producer's default). */
export const COMPRESSIONS = ['lz4', 'deflate', 'none'] as const;
export type SlsCompression = (typeof COMPRESSIONS)[number];

/**
 * kube-eventer's options, verbatim:
 * `sls:<ignored>?project=&logStore=&topic=&regionId=&accessKeyId=&accessKeySecret=&internal=&label=K,V`,
 * plus the STS token, ACK's addon token file, the compression, the endpoint in code and the
 * log group's source.
 */
export const slsOptions = {
  project: option.string({ description: 'The SLS project.', required: true }),
  logStore: option.string({ description: 'The logstore in the project.', required: true }),
  topic: option.string({ description: "The log group's topic (__topic__).", default: '' }),
  regionId: option.string({
    description:
      "The region, e.g. cn-hangzhou: the endpoint is <regionId>[-intranet].log.aliyuncs.com; unset, the node's region from the ECS metadata.",
    env: 'RegionId',
  }),
  metadataEndpoint: option.url({
    description:
      'The ECS metadata service the region is read from when neither regionId nor endpoint is given, as kube-eventer does.',
    protocols: ['http', 'https'],
    default: ECS_METADATA,
  }),
  internal: option.boolean({
    description:
      "Use the region's intranet (VPC) endpoint, <regionId>-intranet.log.aliyuncs.com (kube-eventer's default); false for the public one.",
    default: true,
  }),
  endpoint: option.string({
    description:
      "The endpoint instead of the region's, e.g. https://cn-hangzhou-share.log.aliyuncs.com (https:// when no scheme is given); requests go to <project>.<endpoint>.",
    env: 'SLS_ENDPOINT',
  }),
  accessKeyId: option.string({
    description: 'The AccessKey ID (of a RAM user, or of STS credentials).',
    env: 'AccessKeyId',
  }),
  accessKeySecret: option.string({
    description: 'The AccessKey secret: signs each request (HMAC-SHA1), never sent.',
    env: 'AccessKeySecret',
    secret: true,
  }),
  securityToken: option.string({
    description:
      'The STS security token, with temporary credentials (sent as x-acs-security-token).',
    env: 'ALIBABA_CLOUD_SECURITY_TOKEN',
    secret: true,
  }),
  addonTokenConfig: option.string({
    description:
      "Without accessKeyId/accessKeySecret: the file of STS credentials ACK's log addon mounts, read as kube-eventer does and again before they expire.",
    default: ADDON_TOKEN_CONFIG,
  }),
  label: option.list({
    description:
      'A field added to every log, as key,value (repeatable: label=cluster,prod&label=team,infra).',
    split: false,
  }),
  compression: option.enum(COMPRESSIONS, {
    description: 'How the body is compressed: lz4 (as kube-eventer), deflate, or none.',
    default: 'lz4',
  }),
  source: option.string({
    description: "The log group's source (__source__); empty, as kube-eventer sends it.",
    default: '',
  }),
};
