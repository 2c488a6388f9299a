import { isDigest } from '../../../core/src/aggregate/digest.js';
import type { KubeEvent } from '../../../core/src/event/model.js';
import type { Sink } from '../../../core/src/sink/contract/sink.js';

/** What a recording sink saw of one item: an occurrence, or a digest's count and objects. */
export type Seen =
  | { readonly kind: 'event'; readonly uid: string; readonly count: number }
  | { readonly kind: 'digest'; readonly count: number; readonly objects: readonly string[] };

/**
 * An in-memory destination for forwarder tests (the forwarder is under test,
 * not the sink). `gate` holds every write until it resolves.
 */
export function recordingSink(name: string, gate?: Promise<void>): Sink & { seen: Seen[] } {
  const seen: Seen[] = [];
  return {
    name,
    seen,
    async write(batch: readonly KubeEvent[]) {
      if (gate) await gate;
      for (const event of batch) {
        seen.push(
          isDigest(event)
            ? { kind: 'digest', count: event.digest.count, objects: event.digest.objects }
            : { kind: 'event', uid: event.uid, count: event.count },
        );
      }
    },
  };
}

export function gate(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
