import { hostname } from 'node:os';
import type * as kit from '@keventer/core/kit';
import type { RiemannEvent } from './proto.js';

/** What every event of a sink carries, from the options. */
export interface EventDefaults {
  /** Seconds; 0 sends none. */
  readonly ttl: number;
  readonly tags: readonly string[];
}

// Read once: an os call per event would be most of the encoding time.
const HOSTNAME = hostname();

const unixSeconds = (text: string) => {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? '' : String(Math.floor(ms / 1000));
};

/**
 * kube-eventer's Riemann event, field for field: service `<Kind>.<Reason>`,
 * state ok for Normal and warning otherwise, the count as the metric, the
 * object in attributes (sorted by key, as its client sends them), and the time
 * of sending. An event without a source host gets this machine's name, as
 * kube-eventer's client did.
 */
export function toRiemannEvent(
  event: kit.KubeEvent,
  defaults: EventDefaults,
  nowMs = Date.now(),
): RiemannEvent {
  const object = event.involvedObject;
  const raw = event.raw as { involvedObject?: { resourceVersion?: string } };
  const attributes = {
    'api-version': object.apiVersion,
    component: event.reportingComponent,
    'field-path': object.fieldPath,
    'first-timestamp': unixSeconds(event.firstTimestamp),
    'last-timestamp': unixSeconds(event.lastTimestamp),
    name: object.name,
    namespace: object.namespace,
    'resource-version': raw.involvedObject?.resourceVersion ?? '',
    uid: object.uid,
  };
  return {
    time: Math.floor(nowMs / 1000),
    time_micros: nowMs * 1000,
    service: `${object.kind}.${event.reason}`,
    host: event.host || HOSTNAME,
    ...(event.message ? { description: event.message } : {}),
    state: event.type === 'Normal' ? 'ok' : 'warning',
    tags: defaults.tags,
    ...(defaults.ttl > 0 ? { ttl: defaults.ttl } : {}),
    attributes: Object.entries(attributes).map(([key, value]) => ({ key, value })),
    metric_sint64: event.count,
  };
}
