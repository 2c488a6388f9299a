import { existsSync } from 'node:fs';
import type { Agent } from 'node:http';
import * as kit from '@keventer/core/kit';
import { addonTokenCredentials, type Credentials, fixedCredentials } from './credentials.js';
import { projectTarget, regionEndpoint, type SlsTarget } from './endpoint.js';
import { targetAgent } from './http-post.js';
import { slsOptions } from './options.js';
import { putLogs } from './put-logs.js';
import { metadataRegion } from './region.js';

export const SINK_NAME = 'sls';

/** Options in code: `await sls({ project: 'k8s', logStore: 'events', regionId: 'cn-hangzhou', ... })`. */
export type SlsOptions = kit.OptionsInput<typeof slsOptions>;

// SLS's naming rules, checked before the first write: a typo is a config error, not a 404 later.
const PROJECT_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const LOGSTORE_NAME = /^[a-z0-9][a-z0-9_-]{0,61}[a-z0-9]$/;

/** kube-eventer's `label=K,V`: exactly one comma (kube-eventer skipped others with a log line). */
function readLabels(labels: readonly string[], problems: string[]): Array<[string, string]> {
  const pairs = new Map<string, string>();
  for (const label of labels) {
    const parts = label.split(',');
    if (parts.length === 2 && parts[0]) pairs.set(parts[0], parts[1] ?? '');
    else problems.push(`label '${label}' is not key,value: write label=cluster,prod`);
  }
  return [...pairs];
}

/**
 * kube-eventer's order: the options' AccessKey, else the STS credentials ACK's
 * log addon mounts. (It then tried the node's RAM role; not here yet.)
 */
function credentialsOf(
  options: kit.ParsedOptions<typeof slsOptions>,
  problems: string[],
): Credentials {
  const { accessKeyId, accessKeySecret, securityToken } = options;
  if (accessKeyId && accessKeySecret)
    return fixedCredentials({
      accessKeyId,
      accessKeySecret,
      ...(securityToken ? { securityToken } : {}),
    });
  if (accessKeyId || accessKeySecret) problems.push('give both accessKeyId and accessKeySecret');
  else if (existsSync(options.addonTokenConfig))
    return addonTokenCredentials(SINK_NAME, options.addonTokenConfig);
  else
    problems.push(
      `give accessKeyId and accessKeySecret (or the AccessKeyId and AccessKeySecret variables); there is no ACK addon token at ${options.addonTokenConfig}, and the node's RAM role is not read`,
    );
  return fixedCredentials({ accessKeyId: '', accessKeySecret: '' });
}

/** Alibaba Cloud Log Service: PutLogs of a compressed protobuf LogGroup per batch, signature v1. */
export const sls = kit.defineSink({
  scheme: SINK_NAME,
  description:
    "Alibaba Cloud Log Service (SLS): kube-eventer's log fields, one PutLogs (lz4 protobuf LogGroup, signature v1) per batch.",
  options: slsOptions,
  // kube-eventer's target (`sls:https://sls.aliyuncs.com?...`) is ignored, as kube-eventer
  // ignores it: the endpoint comes from regionId/internal, SLS_ENDPOINT or endpoint=.
  fromUri: (uri) => Object.fromEntries([...uri.params].map(([key, values]) => [key, [...values]])),
  delivery: {
    // 1000 typical events are ~0.7 MB of raw LogGroup (eventId is the indented event JSON),
    // ~50 KB after lz4: far under SLS's 5 MB; a bigger batch is split into several requests.
    batch: { maxEvents: 1000, maxBytes: 3_000_000, timeoutMs: 1000 },
    // PutLogs to shards/lb spreads requests over the shards; order within the logstore is by time.
    request: { concurrency: 4, timeoutMs: 30_000 },
  },
  create(options) {
    const problems: string[] = [];
    if (!PROJECT_NAME.test(options.project))
      problems.push(
        `project '${options.project}' is not an SLS project name: 3-63 lowercase letters, digits and -`,
      );
    if (!LOGSTORE_NAME.test(options.logStore))
      problems.push(
        `logStore '${options.logStore}' is not an SLS logstore name: 2-63 lowercase letters, digits, _ and -`,
      );
    const credentials = credentialsOf(options, problems);
    if (options.regionId !== undefined && !/^[a-z0-9-]+$/.test(options.regionId))
      problems.push(`regionId '${options.regionId}' is not a region id such as cn-hangzhou`);
    const endpoint =
      options.endpoint ??
      (options.regionId ? regionEndpoint(options.regionId, options.internal) : undefined);
    const target = endpoint === undefined ? undefined : projectTarget(endpoint, options.project);
    if (typeof target === 'string') problems.push(target);
    const labels = readLabels(options.label ?? [], problems);
    if (problems.length > 0 || typeof target === 'string')
      throw new kit.SinkConfigError(SINK_NAME, problems);

    let agent: Agent | undefined;
    const open = (to: SlsTarget) => {
      agent = targetAgent(to);
      return { target: to, agent };
    };
    // No region and no endpoint: the node's region, from the ECS metadata at the first write,
    // as kube-eventer's managed-cluster deployment has it.
    let connection = target && Promise.resolve(open(target));
    const connect = (signal: AbortSignal) => {
      if (connection) return connection;
      const resolving = metadataRegion(SINK_NAME, options.metadataEndpoint, signal).then((region) =>
        open(projectTarget(regionEndpoint(region, options.internal), options.project) as SlsTarget),
      );
      connection = resolving;
      resolving.catch(() => {
        if (connection === resolving) connection = undefined; // the next write asks again
      });
      return resolving;
    };
    const writer = {
      sink: SINK_NAME,
      connect,
      credentials,
      logStore: options.logStore,
      topic: options.topic,
      source: options.source,
      labels,
      compression: options.compression,
    };
    return {
      ...kit.messageSink(SINK_NAME, (batch, signal) => putLogs(writer, batch, signal)),
      async close() {
        agent?.destroy();
      },
    };
  },
});
