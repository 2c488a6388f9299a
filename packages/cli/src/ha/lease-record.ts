import type { Lease } from './kube-api.js';

/** The part of a Lease that leader election reads and writes. */
export interface LeaseRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime: Date | undefined;
  renewTime: Date | undefined;
  leaseTransitions: number;
}

/** Reads a Lease's spec (its times arrive as MicroTime strings). */
export function recordOf(lease: Lease): LeaseRecord {
  const spec = lease.spec ?? {};
  return {
    holderIdentity: spec.holderIdentity ?? '',
    leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
    acquireTime: dateOf(spec.acquireTime),
    renewTime: dateOf(spec.renewTime),
    leaseTransitions: spec.leaseTransitions ?? 0,
  };
}

/**
 * The Lease written back with `record` as its spec, its times with the six
 * fractional digits the apiserver requires (a plain Date's three are refused).
 */
export function withRecord(lease: Lease, record: LeaseRecord): Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: lease.metadata,
    spec: {
      holderIdentity: record.holderIdentity,
      leaseDurationSeconds: record.leaseDurationSeconds,
      ...(record.acquireTime && { acquireTime: microTime(record.acquireTime) }),
      ...(record.renewTime && { renewTime: microTime(record.renewTime) }),
      leaseTransitions: record.leaseTransitions,
    },
  };
}

/** The record of `identity` taking or keeping the lease at `now`. */
export function heldRecord(
  previous: LeaseRecord | undefined,
  identity: string,
  leaseDurationSeconds: number,
  now: Date,
): LeaseRecord {
  const keeping = previous?.holderIdentity === identity;
  const transitions = previous?.leaseTransitions ?? 0;
  return {
    holderIdentity: identity,
    leaseDurationSeconds,
    acquireTime: keeping ? (previous?.acquireTime ?? now) : now,
    renewTime: now,
    // Counted when the holder changes, as client-go does (not for the very first holder).
    leaseTransitions: keeping || previous === undefined ? transitions : transitions + 1,
  };
}

/** client-go's release: no holder and a 1 s duration, so a waiting replica takes it on its next try. */
export function releasedRecord(previous: LeaseRecord, now: Date): LeaseRecord {
  return {
    holderIdentity: '',
    leaseDurationSeconds: 1,
    acquireTime: now,
    renewTime: now,
    leaseTransitions: previous.leaseTransitions,
  };
}

function dateOf(value: string | undefined): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** metav1.MicroTime: RFC 3339 in UTC with exactly six fractional digits. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
