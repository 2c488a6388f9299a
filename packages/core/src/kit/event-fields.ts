import { isDigest } from '../aggregate/digest.js';
import { eventTime } from '../event/format.js';
import type { KubeEvent } from '../event/model.js';

/** One line of a notification: a field name and its value. */
export type Field = readonly [name: string, value: string];

/**
 * kube-eventer's chat layout fields (dingtalk, wechat): Level, Kind,
 * Namespace, Name, Reason, Timestamp, Message; a digest adds how often it
 * repeated, over which span, and the objects involved.
 */
export function eventFields(event: KubeEvent): Field[] {
  const { involvedObject: object } = event;
  const fields: Field[] = [
    ['Level', event.type],
    ['Kind', object.kind],
    ['Namespace', object.namespace || event.namespace],
    ['Name', object.name],
    ['Reason', event.reason],
    ['Timestamp', eventTime(event)],
    ['Message', event.message],
  ];
  if (isDigest(event)) {
    const { digest } = event;
    const more = digest.moreObjects > 0 ? ` and ${digest.moreObjects} more` : '';
    const times = digest.count === 1 ? '1 more time' : `${digest.count} more times`;
    const span =
      digest.firstTimestamp === digest.lastTimestamp
        ? `at ${digest.lastTimestamp}`
        : `from ${digest.firstTimestamp} to ${digest.lastTimestamp}`;
    fields.push(
      ['Repeated', `${times} ${span}`],
      ['Objects', `${digest.objects.join(', ')}${more}`],
    );
    if (digest.last.message !== event.message) fields.push(['Last message', digest.last.message]);
  }
  return fields;
}

/** kube-eventer's text layout: the labels, one per line, then `Name: value` lines. */
export function renderText(event: KubeEvent, labels: readonly string[] = []): string {
  return [...labels, ...eventFields(event).map(([name, value]) => `${name}: ${value}`)].join('\n');
}

/** The title line of a notification: `Warning BackOff Pod shop/web-1`, `(×12)` for a digest. */
export function renderTitle(event: KubeEvent): string {
  const { kind, name } = event.involvedObject;
  const times = isDigest(event) ? ` (×${event.digest.count})` : '';
  return `${event.type} ${event.reason} ${kind} ${event.namespace ? `${event.namespace}/` : ''}${name}${times}`;
}
