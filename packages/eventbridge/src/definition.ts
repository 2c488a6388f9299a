import * as kit from '@keventer/core/kit';
import { MAX_ENTRIES } from './chunks.js';
import { type Credentials, fixedCredentials, ramRoleCredentials } from './credentials.js';
import { readEcsMetadata } from './ecs-metadata.js';
import { eventbridgeOptions } from './options.js';
import { type PutEventsTarget, putEvents } from './put-events.js';

export const SINK_NAME = 'eventbridge';

/** Options in code: `await eventbridge({ clusterId, regionId, accessKeyId, accessKeySecret })`. */
export type EventbridgeOptions = kit.OptionsInput<typeof eventbridgeOptions>;
type Parsed = kit.ParsedOptions<typeof eventbridgeOptions>;

/** Alibaba Cloud EventBridge: kube-eventer's CloudEvents, one signed PutEvents per batch. */
export const eventbridge = kit.defineSink({
  scheme: SINK_NAME,
  description:
    "Alibaba Cloud EventBridge: kube-eventer's CloudEvents (source acs.cs), one signed PutEvents per batch, refused entries retried alone.",
  options: eventbridgeOptions,
  delivery: {
    // PutEvents takes 16 events, 256 KB; the sink splits a larger configured batch.
    batch: { maxEvents: MAX_ENTRIES, maxBytes: 200_000, timeoutMs: 1000 },
    // 8 in flight: ~2,500 events/s at 50 ms a request, under a bus's 3,000-10,000 events/s.
    request: { concurrency: 8, timeoutMs: 10_000 },
  },
  create(options) {
    const problems = optionProblems(options);
    if (problems.length > 0) throw new kit.SinkConfigError(SINK_NAME, problems);
    const credentials = credentialsOf(options);
    let target: Promise<PutEventsTarget> | undefined;
    // Without accountId, it is read once from the ECS metadata, at the first write; again after a failure.
    const resolve = (signal: AbortSignal) => {
      target ??= resolveTarget(options, credentials, signal).catch((error: unknown) => {
        target = undefined;
        throw error;
      });
      return target;
    };
    return kit.messageSink(SINK_NAME, async (batch, signal) =>
      putEvents(await resolve(signal), batch, signal),
    );
  },
});

function optionProblems(options: Parsed): string[] {
  const problems: string[] = [];
  const { regionId, accountId, eventBusName } = options;
  if (!/^[a-z0-9-]+$/.test(regionId))
    problems.push(`regionId '${regionId}' is not a region ID such as cn-hangzhou`);
  if (accountId !== undefined && !/^\d+$/.test(accountId))
    problems.push(`accountId '${accountId}' is not an Alibaba Cloud account ID (digits)`);
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,126}$/.test(eventBusName))
    problems.push(
      `eventBusName '${eventBusName}' is not a bus name: letters, digits and -, up to 127, starting with a letter or digit`,
    );
  if (!options.clusterId.trim()) problems.push('clusterId is empty: give the cluster ID');
  // Empty is unset, as in kube-eventer (`accessKeyId=&accessKeySecret=`).
  if (!options.accessKeyId !== !options.accessKeySecret)
    problems.push(
      "give both accessKeyId and accessKeySecret, or neither (the node's RAM role is used then)",
    );
  if (options.endpoint !== undefined) {
    const url = new URL(options.endpoint);
    if (url.search || url.username || url.password)
      problems.push(
        `endpoint '${url.origin}${url.pathname}...' carries a query or credentials: give the bare URL (the path /openapi/putEvents is appended)`,
      );
  }
  if (options.securityToken && !options.accessKeyId)
    problems.push('securityToken is given without accessKeyId and accessKeySecret');
  return problems;
}

/** kube-eventer's endpoints: the account's host in the region, in the VPC or public; HTTPS. */
export function serviceEndpoint(accountId: string, regionId: string, internal: boolean): string {
  return `https://${accountId}.eventbridge.${regionId}${internal ? '-vpc' : ''}.aliyuncs.com`;
}

/** The options' AccessKey, or the node's RAM role when none is given. */
function credentialsOf(options: Parsed): Credentials {
  const { accessKeyId, accessKeySecret, securityToken } = options;
  if (!accessKeyId || !accessKeySecret)
    return ramRoleCredentials(SINK_NAME, options.metadataEndpoint);
  return fixedCredentials({ accessKeyId, accessKeySecret, securityToken });
}

async function resolveTarget(
  options: Parsed,
  credentials: Credentials,
  signal: AbortSignal,
): Promise<PutEventsTarget> {
  const { regionId, eventBusName, clusterId } = options;
  const accountId =
    options.accountId ??
    (await readEcsMetadata(
      SINK_NAME,
      options.metadataEndpoint,
      '/latest/meta-data/owner-account-id',
      'give accountId, or set OwnerAccountId',
      signal,
    ));
  if (!/^\d+$/.test(accountId))
    throw kit.permanentError(
      SINK_NAME,
      `the ECS metadata gave the account ID '${kit.snippet(accountId, 40)}', which is not one: give accountId`,
    );
  return {
    sink: SINK_NAME,
    endpoint: options.endpoint ?? serviceEndpoint(accountId, regionId, options.internal),
    credentials,
    layout: { regionId, accountId, clusterId, eventBusName },
  };
}
