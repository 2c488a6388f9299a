import type { KubeEvent } from '../event/model.js';

/**
 * What an aggregation window folded together: occurrences of one key
 * (namespace + owner + reason by default) after the first, which went out on
 * its own. Sinks that know digests render it as one message; others see the
 * DigestEvent as the first folded occurrence.
 */
export interface EventDigest {
  /** The aggregation key, `shop/Deployment:web/BackOff` by default. */
  readonly key: string;
  /** Occurrences folded into this digest. */
  readonly count: number;
  /** Time span of the folded occurrences (their event timestamps). */
  readonly firstTimestamp: string;
  readonly lastTimestamp: string;
  /** The latest folded occurrence (the DigestEvent itself is the first). */
  readonly last: KubeEvent;
  /** Distinct involved objects, `Pod shop/web-7d4b9-x2x1z`, at most `MAX_DIGEST_OBJECTS`. */
  readonly objects: readonly string[];
  /** How many more distinct objects there were. */
  readonly moreObjects: number;
  readonly windowMs: number;
}

/** A digest travels through batches as an event: its first occurrence plus `digest`. */
export interface DigestEvent extends KubeEvent {
  readonly digest: EventDigest;
}

export const MAX_DIGEST_OBJECTS = 10;

export function isDigest(event: KubeEvent): event is DigestEvent {
  return (event as Partial<DigestEvent>).digest !== undefined;
}
