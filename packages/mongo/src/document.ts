import { type KubeEvent, occurrenceId } from '@keventer/core';

/** A document as kube-eventer writes it (its mongoSinkPoint), with the occurrence as `_id`. */
export interface EventDocument {
  _id?: string;
  count?: number;
  namespace?: string;
  kind?: string;
  name?: string;
  type?: string;
  reason?: string;
  message?: string;
  event_id?: string;
  first_occurrence_time?: Date;
  last_occurrence_time?: Date;
}

/**
 * kube-eventer's document: its field names, times as BSON dates in UTC, and
 * empty fields left out (its `omitempty`). `_id` is core's occurrence
 * identity, so a replayed batch inserts nothing twice; an event without a
 * uid has none and gets the driver's ObjectId.
 */
export function eventDocument(event: KubeEvent): EventDocument {
  const doc: EventDocument = {};
  if (event.uid !== '') doc._id = occurrenceId(event);
  const put = <K extends keyof EventDocument>(key: K, value: EventDocument[K] | undefined) => {
    if (value !== undefined && value !== '' && value !== 0) doc[key] = value;
  };
  put('count', event.count);
  put('namespace', event.involvedObject.namespace);
  put('kind', event.involvedObject.kind);
  put('name', event.involvedObject.name);
  put('type', event.type);
  put('reason', event.reason);
  put('message', event.message);
  put('event_id', event.uid);
  put('first_occurrence_time', toDate(event.firstTimestamp));
  put('last_occurrence_time', toDate(event.lastTimestamp));
  return doc;
}

function toDate(text: string): Date | undefined {
  if (text === '') return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
