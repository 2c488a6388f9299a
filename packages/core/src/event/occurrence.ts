import type { KubeEvent } from './model.js';
import { parseTimeMs } from './time.js';

/**
 * Where an event object stands in its series: each rise of `count`, or a newer
 * `lastTimestamp` at the same count, is a new occurrence. A MODIFIED that
 * changes neither (a label, a managedFields update) is not.
 */
export interface OccurrenceMark {
  readonly count: number;
  /** lastTimestamp in epoch milliseconds (0 when unknown). */
  readonly lastMs: number;
}

export function occurrenceMark(event: KubeEvent): OccurrenceMark {
  const lastMs = parseTimeMs(event.lastTimestamp);
  return { count: event.count, lastMs: Number.isNaN(lastMs) ? 0 : lastMs };
}

/** True when `next` is a later occurrence than `previous` of the same object. */
export function isLaterOccurrence(next: OccurrenceMark, previous: OccurrenceMark): boolean {
  if (next.count !== previous.count) return next.count > previous.count;
  return next.lastMs > previous.lastMs;
}

/** A stable id for one occurrence, e.g. for idempotent writes: `<uid>/<count>/<lastMs>`. */
export function occurrenceId(event: KubeEvent): string {
  const { count, lastMs } = occurrenceMark(event);
  return `${event.uid}/${count}/${lastMs}`;
}
