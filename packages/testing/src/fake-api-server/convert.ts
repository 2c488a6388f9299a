import type { CoreV1EventObject, EventApiGroup, EventsV1EventObject } from '@keventer/core';

/** Any Event object the fake accepts: either API group's form. */
export type AnyEventObject = CoreV1EventObject | EventsV1EventObject;

/** Drops the keys whose value is undefined, as Go's `omitempty` would. */
function compact<T extends object>(obj: T): T {
  for (const key of Object.keys(obj) as (keyof T)[]) {
    if (obj[key] === undefined) delete obj[key];
  }
  return obj;
}

/** Whether an object is written in the events.k8s.io/v1 form (by apiVersion, else by shape). */
export function isEventsV1(obj: AnyEventObject): obj is EventsV1EventObject {
  if (obj.apiVersion === 'events.k8s.io/v1') return true;
  if (obj.apiVersion === 'v1') return false;
  return 'regarding' in obj || 'note' in obj || 'reportingController' in obj;
}

/** core/v1 -> events.k8s.io/v1, field for field as the apiserver converts them. */
export function toEventsV1(e: CoreV1EventObject): EventsV1EventObject {
  return compact<EventsV1EventObject>({
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: e.metadata,
    eventTime: e.eventTime ?? null,
    series: e.series,
    reportingController: e.reportingComponent,
    reportingInstance: e.reportingInstance,
    action: e.action,
    reason: e.reason,
    regarding: e.involvedObject,
    related: e.related,
    note: e.message,
    type: e.type,
    deprecatedSource: e.source,
    deprecatedFirstTimestamp: e.firstTimestamp,
    deprecatedLastTimestamp: e.lastTimestamp,
    deprecatedCount: e.count,
  });
}

/** events.k8s.io/v1 -> core/v1, the inverse of {@link toEventsV1}. */
export function toCoreV1(e: EventsV1EventObject): CoreV1EventObject {
  return compact<CoreV1EventObject>({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: e.metadata,
    involvedObject: e.regarding,
    reason: e.reason,
    message: e.note,
    source: e.deprecatedSource,
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    count: e.deprecatedCount,
    type: e.type,
    eventTime: e.eventTime,
    series: e.series,
    action: e.action,
    related: e.related,
    reportingComponent: e.reportingController,
    reportingInstance: e.reportingInstance,
  });
}

/** Either form -> core/v1 (a shallow copy; core/v1 input keeps its own field order). */
export function normalizeToCoreV1(obj: AnyEventObject): CoreV1EventObject {
  if (isEventsV1(obj)) return toCoreV1(obj);
  return { ...obj, apiVersion: 'v1', kind: 'Event' };
}

/** The stored core/v1 object as the given API group shows it. */
export function viewAs(group: EventApiGroup, e: CoreV1EventObject): AnyEventObject {
  return group === 'core/v1' ? e : toEventsV1(e);
}

const jsonCache = new WeakMap<CoreV1EventObject, Partial<Record<EventApiGroup, string>>>();

/**
 * The JSON text of a stored (immutable) object in the given API group's form,
 * serialized once per object and group.
 */
export function objectJson(group: EventApiGroup, e: CoreV1EventObject): string {
  let entry = jsonCache.get(e);
  if (!entry) {
    entry = {};
    jsonCache.set(e, entry);
  }
  let json = entry[group];
  if (json === undefined) {
    json = JSON.stringify(viewAs(group, e));
    entry[group] = json;
  }
  return json;
}

/** apiVersion of an API group's objects. */
export function apiVersionOf(group: EventApiGroup): 'v1' | 'events.k8s.io/v1' {
  return group === 'core/v1' ? 'v1' : 'events.k8s.io/v1';
}
