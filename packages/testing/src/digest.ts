import {
  aggregateKey,
  type DigestEvent,
  type EventDigest,
  type KubeEvent,
} from '@keventer/core/kit';

/** `Pod shop/web-1`: how a digest lists an object. */
function objectOf(event: KubeEvent): string {
  const { kind, namespace, name } = event.involvedObject;
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

const timeOf = (event: KubeEvent): string => event.lastTimestamp || event.firstTimestamp;

/**
 * A DigestEvent as a route's aggregation window makes one: `first`, the first
 * occurrence folded in, plus `digest`. What `fields` leaves out: `last` is
 * `first`, count 1, the span runs from `first`'s time to `last`'s, the key is
 * by owner, `objects` are the distinct objects of `first` and `last`, and the
 * window is 5 minutes.
 */
export function digestOf(first: KubeEvent, fields: Partial<EventDigest> = {}): DigestEvent {
  const last = fields.last ?? first;
  return {
    ...first,
    digest: {
      key: aggregateKey(first, 'owner'),
      count: 1,
      firstTimestamp: timeOf(first),
      lastTimestamp: timeOf(last),
      objects: [...new Set([first, last].map(objectOf))],
      moreObjects: 0,
      windowMs: 300_000,
      ...fields,
      last,
    },
  };
}
