import { randomUUID } from 'node:crypto';
import type { CoreV1EventObject, EventsV1EventObject, WireObjectReference } from '@keventer/core';
import { kubeMicroTime, kubeTime, unixNanoHex } from './time.js';

/** Options shared by the builders. */
export interface BuildOptions {
  /** When the event occurred (timestamps, name suffix). @default now */
  at?: Date;
}

/** Kinds that have no namespace: their events are recorded in 'default'. */
const CLUSTER_SCOPED = new Set([
  'Node',
  'Namespace',
  'PersistentVolume',
  'StorageClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
]);

const DEFAULT_OBJECT: WireObjectReference = {
  kind: 'Pod',
  namespace: 'default',
  name: 'web-7d4b9c-x2x1z',
  apiVersion: 'v1',
};

/** The object reference of a builder: defaults, then the caller's fields. */
function reference(given: WireObjectReference | undefined): WireObjectReference {
  const ref: WireObjectReference = { ...DEFAULT_OBJECT, uid: randomUUID(), ...given };
  if (given?.kind && CLUSTER_SCOPED.has(given.kind) && given.namespace === undefined) {
    delete ref.namespace;
  }
  return ref;
}

/** Microseconds for a MicroTime, derived from the time so a given `at` always gives the same text. */
const microsOf = (at: Date): number => (at.getTime() * 389) % 1000;

/** A MicroTime for `at` with non-zero microseconds, like recorders write. */
export const microTimeOf = (at: Date): string => kubeMicroTime(at, microsOf(at));

/**
 * A realistic core/v1 Event as an old-style recorder (kubelet, controllers)
 * writes it: about a Pod by default, name `<object>.<16 hex>`, source kubelet
 * on a host, count 1, first/lastTimestamp = `at`, eventTime null. Any field of
 * `partial` wins; `metadata` and `involvedObject` are merged with the defaults.
 */
export function buildEvent(
  partial: CoreV1EventObject = {},
  options: BuildOptions = {},
): CoreV1EventObject {
  const at = options.at ?? new Date();
  const involvedObject = reference(partial.involvedObject);
  const source = partial.source ?? { component: 'kubelet', host: 'node-1' };
  const { metadata, involvedObject: _i, source: _s, ...rest } = partial;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${involvedObject.name}.${unixNanoHex(at)}`,
      namespace: involvedObject.namespace ?? 'default',
      ...metadata,
    },
    involvedObject,
    reason: 'Started',
    message: 'Started container app',
    source,
    firstTimestamp: kubeTime(at),
    lastTimestamp: kubeTime(at),
    count: 1,
    type: 'Normal',
    eventTime: null,
    reportingComponent: source.component ?? '',
    reportingInstance: source.host ?? '',
    ...rest,
  };
}

/**
 * A realistic events.k8s.io/v1 Event as a new-style recorder (the scheduler)
 * writes it: `eventTime` a MicroTime with microseconds, reportingController,
 * reportingInstance and action, no deprecated fields. Pass `series` for a
 * repeated one. Any field of `partial` wins; `metadata` and `regarding` are merged.
 */
export function buildEventsV1(
  partial: EventsV1EventObject = {},
  options: BuildOptions = {},
): EventsV1EventObject {
  const at = options.at ?? new Date();
  const regarding = reference(partial.regarding);
  const { metadata, regarding: _r, ...rest } = partial;
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: {
      name: `${regarding.name}.${unixNanoHex(at)}`,
      namespace: regarding.namespace ?? 'default',
      ...metadata,
    },
    eventTime: microTimeOf(at),
    reportingController: 'default-scheduler',
    reportingInstance: 'default-scheduler-control-plane',
    action: 'Binding',
    reason: 'Scheduled',
    regarding,
    note: `Successfully assigned ${regarding.namespace ?? 'default'}/${regarding.name} to node-1`,
    type: 'Normal',
    ...rest,
  };
}
