import { createHash, randomUUID } from 'node:crypto';
import { type EventsV1EventObject, type KubeEvent, occurrenceId } from '@keventer/core';
import { type ClusterRef, eventSubject } from './subject.js';

/** kube-eventer's CloudEvents source for every Kubernetes event. */
export const EVENT_SOURCE = 'acs.cs';

/** One entry of a PutEvents body: CloudEvents 1.0 attributes, the bus as an extension, the event as data. */
export interface CloudEvent {
  readonly id: string;
  readonly source: string;
  readonly specversion: '1.0';
  readonly type: string;
  readonly datacontenttype: 'application/json';
  readonly subject: string;
  readonly time: string;
  readonly aliyuneventbusname: string;
  readonly data: unknown;
}

export interface CloudEventLayout extends ClusterRef {
  readonly eventBusName: string;
}

/** The CloudEvent kube-eventer puts for a Kubernetes event, with an id stable across retries. */
export function toCloudEvent(event: KubeEvent, layout: CloudEventLayout): CloudEvent {
  const kind = event.involvedObject.kind;
  return {
    id: eventId(event, layout.clusterId),
    source: EVENT_SOURCE,
    specversion: '1.0',
    type: kind ? `cs:k8s:${kind}RelatedEvent` : 'cs:k8s:UnknownTypeEvent',
    datacontenttype: 'application/json',
    subject: eventSubject(layout, event.involvedObject),
    time: rfc3339Seconds(event.lastTimestamp),
    aliyuneventbusname: layout.eventBusName,
    data: coreV1Event(event),
  };
}

/**
 * A UUID-shaped id (letters, digits and hyphens, as the service wants) hashed
 * from the cluster and the occurrence: a retried or replayed occurrence keeps
 * its id, so a consumer can drop the repeat. kube-eventer sent a random UUID.
 */
export function eventId(event: KubeEvent, clusterId: string): string {
  if (event.uid === '') return randomUUID();
  const hex = createHash('sha1')
    .update(`${clusterId}/${occurrenceId(event)}`)
    .digest('hex');
  const variant = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Go's `Format(time.RFC3339)` in UTC: whole seconds; now when the event carries no time (as kube-eventer). */
function rfc3339Seconds(text: string): string {
  const ms = Date.parse(text);
  return new Date(Number.isNaN(ms) ? Date.now() : ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * kube-eventer's data is the core/v1 Event it watched. An events.k8s.io/v1
 * object is given in that form, field for field as the API server converts it.
 */
function coreV1Event(event: KubeEvent): unknown {
  if (event.apiGroup !== 'events.k8s.io/v1') return event.raw;
  const v1 = event.raw as EventsV1EventObject;
  const converted: Record<string, unknown> = {
    kind: 'Event',
    apiVersion: 'v1',
    metadata: v1.metadata,
    involvedObject: v1.regarding,
    reason: v1.reason,
    message: v1.note,
    source: v1.deprecatedSource,
    firstTimestamp: v1.deprecatedFirstTimestamp,
    lastTimestamp: v1.deprecatedLastTimestamp,
    count: v1.deprecatedCount,
    type: v1.type,
    eventTime: v1.eventTime,
    series: v1.series,
    action: v1.action,
    related: v1.related,
    reportingComponent: v1.reportingController,
    reportingInstance: v1.reportingInstance,
  };
  for (const key of Object.keys(converted)) if (converted[key] === undefined) delete converted[key];
  return converted;
}
