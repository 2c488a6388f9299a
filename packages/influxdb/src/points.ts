import { occurrenceId } from '@keventer/core';
import type * as kit from '@keventer/core/kit';
import type { Point } from './line-protocol.js';
import type { InfluxLayout, InfluxPrecision } from './options.js';

/** What decides the points' shape; from the options. */
export interface PointLayout {
  readonly layout: InfluxLayout;
  readonly withfields: boolean;
  readonly clusterName: string;
  readonly precision: InfluxPrecision;
}

/** One point per event, in the layout the options choose. */
export function toPoint(event: kit.KubeEvent, layout: PointLayout): Point {
  const time = occurrenceTime(event, layout.precision);
  const cluster_name = layout.clusterName;
  if (layout.layout === 'series') return seriesPoint(event, cluster_name, time);
  return layout.withfields
    ? eventsPoint(event, cluster_name, time)
    : logEventsPoint(event, cluster_name, time);
}

const podTags = (event: kit.KubeEvent, withName: boolean) =>
  event.involvedObject.kind === 'Pod'
    ? {
        pod_id: event.involvedObject.uid,
        ...(withName ? { pod_name: event.involvedObject.name } : {}),
      }
    : {};

/** kube-eventer's default (withfields=false): `log/events`, the event JSON in `value`. */
function logEventsPoint(event: kit.KubeEvent, cluster_name: string, time: bigint): Point {
  return {
    measurement: 'log/events',
    tags: { uid: event.uid, ...podTags(event, true), hostname: event.host, cluster_name },
    // kube-eventer wrote json.MarshalIndent(event, "", " ").
    fields: { value: JSON.stringify(event.raw, null, 1) },
    time,
  };
}

/** kube-eventer's withfields=true: `events`, the message as the field, the rest as tags. */
function eventsPoint(event: kit.KubeEvent, cluster_name: string, time: bigint): Point {
  return {
    measurement: 'events',
    tags: {
      uid: event.uid,
      ...podTags(event, false),
      object_name: event.involvedObject.name,
      type: event.type,
      kind: event.involvedObject.kind,
      component: event.reportingComponent,
      reason: event.reason,
      namespace_name: event.namespace,
      hostname: event.host,
      cluster_name,
    },
    fields: { message: event.message },
    time,
  };
}

/**
 * The `series` layout: tags only for what has few values (the series stay
 * few, and GROUP BY works on them); names, uids and texts are fields.
 */
function seriesPoint(event: kit.KubeEvent, cluster_name: string, time: bigint): Point {
  const { involvedObject: object } = event;
  return {
    measurement: 'kube_events',
    tags: {
      cluster_name,
      namespace: object.namespace,
      kind: object.kind,
      type: event.type,
      reason: event.reason,
    },
    fields: {
      name: object.name,
      uid: event.uid,
      object_uid: object.uid,
      message: event.message,
      count: event.count,
      component: event.reportingComponent,
      host: event.host,
      first_timestamp: event.firstTimestamp,
      last_timestamp: event.lastTimestamp,
    },
    time,
  };
}

const PER_MS: Record<InfluxPrecision, bigint> = { ns: 1_000_000n, u: 1000n, ms: 1n, s: 0n };

/**
 * The point's time, from the occurrence, never from when it was written: InfluxDB
 * identifies a point by measurement, tags and time, so a replayed occurrence
 * overwrites itself. Below the source's resolution (ns, u) goes a tie-breaker
 * hashed from the occurrence id, so two occurrences in one instant stay two
 * points. core/v1 times are whole seconds, so there it spans the whole second:
 * with only the sub-millisecond range, a layout whose series hold many objects
 * (`series`) saw occurrences of one second collide (20 of 30,000 in a benchmark).
 */
export function occurrenceTime(event: kit.KubeEvent, precision: InfluxPrecision): bigint {
  const ms = occurrenceMs(event);
  if (precision === 's') return BigInt(ms) / 1000n;
  const per = PER_MS[precision];
  if (per === 1n) return BigInt(ms);
  const wholeSecond = ms % 1000 === 0;
  const range = wholeSecond ? per * 1000n : per;
  return BigInt(ms) * per + (BigInt(fnv1a(occurrenceId(event))) % range);
}

function occurrenceMs(event: kit.KubeEvent): number {
  for (const text of [event.lastTimestamp, event.firstTimestamp]) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ms;
  }
  // No time at all (never seen from the API server): kube-eventer's fallback.
  return Date.now();
}

/** 32-bit FNV-1a: small, stable across processes and versions. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
