import type { KubeEvent } from '../event/model.js';

/** One event object's identity; name-based for the rare event without a uid. */
export function eventKey(e: KubeEvent): string {
  return e.uid !== '' ? e.uid : `${e.namespace}/${e.name}`;
}

/**
 * What a repeated alert is "about": the same reason on the same object, across
 * event objects (a recreated event gets a new uid but is the same trouble).
 */
export function objectReasonKey(e: KubeEvent): string {
  const o = e.involvedObject;
  return `${o.namespace}/${o.kind}/${o.name}/${e.reason}`;
}
