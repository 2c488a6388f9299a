/**
 * Kubernetes Event objects as they travel over the wire (JSON), before
 * normalization. Every field is optional because recorders differ and the
 * normalizer must cope with whatever arrives.
 */

export interface WireObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string | null;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface WireObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  fieldPath?: string;
  resourceVersion?: string;
}

/** A core/v1 Event. */
export interface CoreV1EventObject {
  apiVersion?: 'v1';
  kind?: 'Event';
  metadata?: WireObjectMeta;
  involvedObject?: WireObjectReference;
  reason?: string;
  message?: string;
  type?: string;
  source?: { component?: string; host?: string };
  count?: number | string | null;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number | string; lastObservedTime?: string | null } | null;
  action?: string;
  related?: WireObjectReference | null;
  reportingComponent?: string;
  reportingInstance?: string;
}

/** An events.k8s.io/v1 Event. */
export interface EventsV1EventObject {
  apiVersion?: 'events.k8s.io/v1';
  kind?: 'Event';
  metadata?: WireObjectMeta;
  regarding?: WireObjectReference;
  related?: WireObjectReference | null;
  reason?: string;
  note?: string;
  type?: string;
  action?: string;
  reportingController?: string;
  reportingInstance?: string;
  eventTime?: string | null;
  series?: { count?: number | string; lastObservedTime?: string | null } | null;
  deprecatedSource?: { component?: string; host?: string };
  deprecatedFirstTimestamp?: string | null;
  deprecatedLastTimestamp?: string | null;
  deprecatedCount?: number | string | null;
}

export type WireEvent = CoreV1EventObject | EventsV1EventObject;

/** One line of a watch stream. */
export interface WatchLine<T = unknown> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

/** The API groups an EventStream can read Events from. */
export type EventApiGroup = 'core/v1' | 'events.k8s.io/v1';
