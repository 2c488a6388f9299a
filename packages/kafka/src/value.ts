import type { KubeEvent } from '@keventer/core';
import { occurrenceId } from '@keventer/core';
import type { KafkaFormat, KafkaMessageKey } from './options.js';

/** One Kafka message as kafkajs takes it. */
export interface KafkaMessage {
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

/** The header that names the occurrence, so a consumer can drop a replayed message. */
export const OCCURRENCE_HEADER = 'keventer-occurrence';

/**
 * The message for one event. The value is kube-eventer's by default: its
 * KafkaSinkPoint, `EventValue` being the event's JSON indented by one space
 * (its json.MarshalIndent(event, "", " ")), `EventTimestamp` the last
 * occurrence in UTC and `EventTags` its eventID, hostname, and pod_id and
 * pod_name for a Pod (keys in Go's sorted order).
 */
export function eventMessage(
  event: KubeEvent,
  layout: { format: KafkaFormat; key: KafkaMessageKey },
): KafkaMessage {
  const value =
    layout.format === 'event' ? JSON.stringify(event.raw) : JSON.stringify(kubeEventerPoint(event));
  const headers: Record<string, string> = {};
  if (event.uid !== '') headers[OCCURRENCE_HEADER] = occurrenceId(event);
  return { key: messageKey(event, layout.key), value, headers };
}

function kubeEventerPoint(event: KubeEvent) {
  const tags: Record<string, string> = { eventID: event.uid, hostname: event.host };
  if (event.involvedObject.kind === 'Pod') {
    tags.pod_id = event.involvedObject.uid;
    tags.pod_name = event.involvedObject.name;
  }
  // client-go's typed objects have no apiVersion/kind (their TypeMeta is emptied on decode).
  const { apiVersion: _apiVersion, kind: _kind, ...object } = event.raw as Record<string, unknown>;
  return {
    EventValue: JSON.stringify(object, null, 1),
    EventTimestamp: goTime(event.lastTimestamp),
    EventTags: tags,
  };
}

/**
 * `<kind>/<namespace>/<name>`: readable, present on every event (a uid is
 * not: node and kubelet events often have none), and the same for an object
 * deleted and made again under its name, so a StatefulSet pod's events stay
 * on one partition in order across its restarts.
 */
export function messageKey(event: KubeEvent, key: KafkaMessageKey): string | null {
  const o = event.involvedObject;
  if (key === 'none') return null;
  if (key === 'uid') return o.uid === '' ? null : o.uid;
  return `${o.kind}/${o.namespace}/${o.name}`;
}

/** A time as Go's encoding/json writes a time.Time in UTC (RFC 3339, fraction without trailing zeros). */
export function goTime(iso: string): string {
  // The form events carry after normalizing (`2026-01-02T03:04:05.000Z`), without the regex.
  if (iso.length === 24 && isMillisUtc(iso)) {
    if (iso.charCodeAt(22) !== 48 /* 0 */) return iso;
    if (iso.charCodeAt(21) !== 48) return `${iso.slice(0, 22)}Z`;
    if (iso.charCodeAt(20) !== 48) return `${iso.slice(0, 21)}Z`;
    return `${iso.slice(0, 19)}Z`;
  }
  const exact = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(iso);
  if (exact) {
    const fraction = (exact[2] ?? '').replace(/0+$/, '');
    return `${exact[1]}${fraction ? `.${fraction}` : ''}Z`;
  }
  const date = new Date(iso === '' ? Date.now() : iso);
  const text = (Number.isNaN(date.getTime()) ? new Date() : date).toISOString();
  // Years past 9999 come out as `+010000-...`, which Go cannot write either: kept as they are.
  return text.length === 24 ? goTime(text) : text;
}

/** `dddd-dd-ddTdd:dd:dd.dddZ`, char by char. */
function isMillisUtc(text: string): boolean {
  for (let i = 0; i < 24; i++) {
    const c = text.charCodeAt(i);
    const expected = MILLIS_UTC.charCodeAt(i);
    if (expected === 100 /* d */ ? c < 48 || c > 57 : c !== expected) return false;
  }
  return true;
}

const MILLIS_UTC = 'dddd-dd-ddTdd:dd:dd.dddZ';
