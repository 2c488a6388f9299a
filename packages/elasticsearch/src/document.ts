import type * as kit from '@keventer/core/kit';
import type { EsLayout } from './options.js';

/** Where the documents go and what they look like; from the options. */
export interface DocumentLayout {
  readonly layout: EsLayout;
  readonly index: string;
  readonly useNamespace: boolean;
  /** Non-empty: every document goes to this data stream. */
  readonly dataStream: string;
  readonly clusterName: string;
}

/** The occurrence time in milliseconds: lastTimestamp, else firstTimestamp, else now (never seen). */
export function occurrenceMs(event: kit.KubeEvent): number {
  for (const text of [event.lastTimestamp, event.firstTimestamp]) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ms;
  }
  return Date.now();
}

/**
 * kube-eventer's index: `<index>[-<namespace>]-YYYY.MM.DD` of the occurrence
 * time in UTC, so a replay lands in the same index as the first write.
 */
export function indexFor(event: kit.KubeEvent, layout: DocumentLayout): string {
  if (layout.dataStream) return layout.dataStream;
  const day = new Date(occurrenceMs(event)).toISOString().slice(0, 10).replaceAll('-', '.');
  const namespace = layout.useNamespace && event.namespace ? `-${event.namespace}` : '';
  return `${layout.index}${namespace}-${day}`;
}

/** Go's time.Time JSON: RFC 3339 in UTC, the fraction only when there is one. */
const goTime = (text: string) => {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? text : new Date(ms).toISOString().replace('.000Z', 'Z');
};

export function toDocument(event: kit.KubeEvent, layout: DocumentLayout): Record<string, unknown> {
  const document =
    layout.layout === 'keventer'
      ? keventerDocument(event, layout.clusterName)
      : kubeEventerDocument(event, layout.clusterName);
  // A data stream refuses a document without @timestamp.
  if (layout.dataStream && !('@timestamp' in document))
    return { '@timestamp': goTime(event.lastTimestamp), ...document };
  return document;
}

/** kube-eventer's EsSinkPoint, field for field. */
function kubeEventerDocument(event: kit.KubeEvent, cluster_name: string): Record<string, unknown> {
  const raw = event.raw as unknown as Record<string, unknown>;
  const object = event.involvedObject;
  const pod = object.kind === 'Pod' ? { pod_id: object.uid, pod_name: object.name } : {};
  return {
    Count: event.count,
    Metadata: raw.metadata ?? {},
    InvolvedObject: raw.involvedObject ?? raw.regarding ?? object,
    Source: { component: event.reportingComponent, host: event.host },
    FirstOccurrenceTimestamp: goTime(event.firstTimestamp || event.lastTimestamp),
    LastOccurrenceTimestamp: goTime(event.lastTimestamp),
    Message: event.message,
    Reason: event.reason,
    Type: event.type,
    EventTags: { eventID: event.uid, cluster_name, ...pod, hostname: event.host },
  };
}

/** Flat, lowercase, one @timestamp: what Kibana's data views and ECS-minded queries expect. */
function keventerDocument(event: kit.KubeEvent, cluster_name: string): Record<string, unknown> {
  const object = event.involvedObject;
  return {
    '@timestamp': goTime(event.lastTimestamp),
    cluster_name,
    namespace: object.namespace,
    kind: object.kind,
    name: object.name,
    object_uid: object.uid,
    type: event.type,
    reason: event.reason,
    message: event.message,
    count: event.count,
    component: event.reportingComponent,
    host: event.host,
    event_uid: event.uid,
    first_timestamp: goTime(event.firstTimestamp || event.lastTimestamp),
    last_timestamp: goTime(event.lastTimestamp),
  };
}
