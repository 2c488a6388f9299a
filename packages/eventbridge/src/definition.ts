import * as kit from '@keventer/core/kit';
import { eventbridgeOptions } from './options.js';
import { MAX_ENTRIES, putEvents } from './put-events.js';

export const SINK_NAME = 'eventbridge';

/** Options in code: `await eventbridge({ clusterId, regionId, accountId, accessKeyId, accessKeySecret })`. */
export type EventbridgeOptions = kit.OptionsInput<typeof eventbridgeOptions>;

/** Alibaba Cloud EventBridge: kube-eventer's CloudEvents, one signed PutEvents per batch. */
export const eventbridge = kit.defineSink({
  scheme: SINK_NAME,
  description:
    "Alibaba Cloud EventBridge: kube-eventer's CloudEvents (source acs.cs), one signed PutEvents per batch, refused entries retried alone.",
  options: eventbridgeOptions,
  delivery: {
    // PutEvents takes 16 events, 256 KB; the sink splits a larger configured batch.
    batch: { maxEvents: MAX_ENTRIES, maxBytes: 200_000, timeoutMs: 1000 },
    // 4 in flight: ~1,000 events/s at 50 ms a request, under a bus's 3,000-10,000 events/s.
    request: { concurrency: 4, timeoutMs: 10_000 },
  },
  create(options) {
    const problems: string[] = [];
    const { regionId, accountId, eventBusName } = options;
    if (!/^[a-z0-9-]+$/.test(regionId))
      problems.push(`regionId '${regionId}' is not a region ID such as cn-hangzhou`);
    if (!/^\d+$/.test(accountId))
      problems.push(`accountId '${accountId}' is not an Alibaba Cloud account ID (digits)`);
    if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,126}$/.test(eventBusName))
      problems.push(
        `eventBusName '${eventBusName}' is not a bus name: letters, digits and -, up to 127, starting with a letter or digit`,
      );
    if (!options.clusterId.trim()) problems.push('clusterId is empty: give the cluster ID');
    if (problems.length > 0) throw new kit.SinkConfigError(SINK_NAME, problems);

    const vpc = options.internal ? '-vpc' : '';
    const target = {
      sink: SINK_NAME,
      endpoint:
        options.endpoint ?? `https://${accountId}.eventbridge.${regionId}${vpc}.aliyuncs.com`,
      key: {
        accessKeyId: options.accessKeyId,
        accessKeySecret: options.accessKeySecret,
        securityToken: options.securityToken,
      },
      layout: { regionId, accountId, clusterId: options.clusterId, eventBusName },
    };
    return kit.messageSink(SINK_NAME, (batch, signal) => putEvents(target, batch, signal));
  },
});
