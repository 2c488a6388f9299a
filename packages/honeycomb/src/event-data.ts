import * as kit from '@keventer/core/kit';

/** Honeycomb keeps string fields up to 64 KB; longer ones are cut here, with a marker. */
export const MAX_STRING_BYTES = 64 * 1024;

/** One element of the batch body: Honeycomb's event envelope. */
export interface BatchEvent {
  readonly data: Readonly<Record<string, string | number>>;
  /** RFC 3339 with milliseconds: when the event last occurred. */
  readonly time: string;
  readonly samplerate: 1;
}

/**
 * kube-eventer's `exportedData`, field for field (its JSON names, dots
 * included), in Honeycomb's envelope. The time is the last occurrence, as
 * kube-eventer meant (its Go struct lacked JSON tags, so Honeycomb never read it).
 */
export function toBatchEvent(event: kit.KubeEvent, now = Date.now): BatchEvent {
  const object = event.involvedObject;
  const ms = Date.parse(event.lastTimestamp);
  return {
    data: {
      namespace: object.namespace,
      kind: object.kind,
      name: object.name,
      subobject: object.fieldPath,
      'source.component': event.reportingComponent,
      'source.host': event.host,
      count: event.count,
      type: event.type,
      reason: event.reason,
      message: kit.truncateUtf8(event.message, MAX_STRING_BYTES),
    },
    time: new Date(Number.isNaN(ms) ? now() : ms).toISOString(),
    samplerate: 1,
  };
}
