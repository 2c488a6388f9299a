import type * as kit from '@keventer/core/kit';
import type { SlsLog } from './log-group.js';

/** SLS refuses a group with a log older than 7 days or more than 15 minutes ahead (InvalidTimestamp). */
const OLDEST_MS = 7 * 24 * 3600_000 - 3600_000;
const NEWEST_MS = 10 * 60_000;

/**
 * The log time, kube-eventer's: the event's last occurrence in seconds. A time
 * SLS would refuse (a node's clock far off, an event replayed after a week)
 * becomes now, so one event cannot fail its whole group; the real times stay
 * in `eventId`.
 */
export function logTime(event: kit.KubeEvent, nowMs: number): number {
  const ms = Date.parse(event.lastTimestamp);
  const usable = Number.isFinite(ms) && ms > nowMs - OLDEST_MS && ms < nowMs + NEWEST_MS;
  return Math.floor((usable ? ms : nowMs) / 1000);
}

/**
 * kube-eventer's fields, in its order: `eventId` (the event as indented JSON,
 * its json.MarshalIndent(event, "", " ")), `hostname`, `level`, `pod_id` and
 * `pod_name` for a Pod's event, then the labels.
 */
export function eventLog(
  event: kit.KubeEvent,
  labels: ReadonlyArray<readonly [string, string]>,
  nowMs: number,
): SlsLog {
  const contents: Array<readonly [string, string]> = [
    ['eventId', JSON.stringify(event.raw, null, 1)],
    ['hostname', event.host],
    ['level', event.type],
  ];
  if (event.involvedObject.kind === 'Pod') {
    contents.push(['pod_id', event.involvedObject.uid], ['pod_name', event.involvedObject.name]);
  }
  contents.push(...labels);
  return { time: logTime(event, nowMs), contents };
}
