import type { KubeEvent } from '../event/model.js';

/** What an aggregation window groups by. */
export type AggregateBy = 'owner' | 'object';

// Kubernetes' generated name suffixes use this alphabet (no vowels, no 0/1/3).
const POD_SUFFIX = /-[bcdfghjklmnpqrstvwxz2456789]{5}$/;
const TEMPLATE_HASH = /-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/;

/**
 * The workload a Pod most likely belongs to, from its generated name:
 * `web-7d4b9c8f6d-x2x1z` → `web` (Deployment), `agent-x2x1z` → `agent`
 * (DaemonSet, Job). Events carry no owner reference, so the name is all there
 * is; a name without a generated suffix (`db-0`) is its own owner.
 */
export function ownerName(kind: string, name: string): string {
  if (kind !== 'Pod' || !POD_SUFFIX.test(name)) return name;
  const withoutPod = name.replace(POD_SUFFIX, '');
  return withoutPod.replace(TEMPLATE_HASH, '');
}

/** `shop/Pod:web/BackOff`: namespace, owner (or object) and reason. */
export function aggregateKey(event: KubeEvent, by: AggregateBy): string {
  const { kind, name, namespace } = event.involvedObject;
  const who = by === 'owner' ? ownerName(kind, name) : name;
  return `${namespace || event.namespace}/${kind}:${who}/${event.reason}`;
}
