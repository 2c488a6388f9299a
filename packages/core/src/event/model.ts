import type { EventApiGroup, WireEvent } from './wire.js';

/** The object an Event is about (core/v1 `involvedObject`, events.k8s.io/v1 `regarding`). */
export interface InvolvedObject {
  readonly kind: string;
  /** Empty for cluster-scoped objects such as Nodes. */
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly apiVersion: string;
  readonly fieldPath: string;
}

/**
 * One Kubernetes Event, normalized from core/v1 or events.k8s.io/v1.
 * Strings are never undefined (missing values are ''), timestamps are ISO 8601
 * strings in UTC or '' when the object carries none.
 */
export interface KubeEvent {
  readonly apiGroup: EventApiGroup;
  readonly uid: string;
  readonly resourceVersion: string;
  readonly namespace: string;
  readonly name: string;
  /** 'Normal' or 'Warning' (anything else is passed through as sent). */
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly involvedObject: InvolvedObject;
  /** core/v1 `source.component` / `reportingComponent`, events.k8s.io/v1 `reportingController`. */
  readonly reportingComponent: string;
  readonly reportingInstance: string;
  /** core/v1 `source.host`, events.k8s.io/v1 `deprecatedSource.host`. */
  readonly host: string;
  readonly action: string;
  /** How many times this event has occurred (series-aware); at least 1. */
  readonly count: number;
  readonly firstTimestamp: string;
  /** When it last occurred: lastTimestamp, else series.lastObservedTime, else eventTime, else creation. */
  readonly lastTimestamp: string;
  /** The object exactly as received. */
  readonly raw: WireEvent;
}
