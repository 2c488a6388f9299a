// The soak's accounting: which occurrences arrived, how often, and how many
// repeats the SIGKILL may explain (those the checkpoint on disk did not cover).
import type { Checkpoint } from '@keventer/core';
import type { AcceptedRequest } from './faults-receiver.js';

/** What the checkpoint on disk left uncovered at the SIGKILL. */
export interface KillExposure {
  /** Accepted requests (batches) holding at least one occurrence a restart replays. */
  batches: number;
  /** The occurrences those are: the ones a restart may deliver again. */
  occurrences: Set<string>;
}

/**
 * An occurrence the receiver has is covered when the restarted forwarder will
 * not emit it again: its change is at or before the checkpoint's position, or
 * the checkpoint's seen set holds its uid at that count or later.
 */
export function exposureAt(
  checkpoint: Checkpoint | undefined,
  accepted: readonly AcceptedRequest[],
): KillExposure {
  const position = Number(checkpoint?.resourceVersion ?? 0);
  const seen = new Map((checkpoint?.seen ?? []).map(([uid, count]) => [uid, count]));
  const occurrences = new Set<string>();
  let batches = 0;
  for (const request of accepted) {
    let exposed = false;
    request.keys.forEach((key, i) => {
      const slash = key.lastIndexOf('/');
      const uid = key.slice(0, slash);
      const count = Number(key.slice(slash + 1));
      const covered = Number(request.rvs[i]) <= position || (seen.get(uid) ?? 0) >= count;
      if (covered) return;
      exposed = true;
      occurrences.add(key);
    });
    if (exposed) batches++;
  }
  return { batches, occurrences };
}

export interface Tally {
  occurrences: number;
  delivered: number;
  lost: number;
  /** Deliveries beyond each occurrence's first. */
  duplicated: number;
  /** Of those, repeats of occurrences the SIGKILL did not expose. */
  unexplained: number;
  lostExamples: string[];
}

export function tally(
  made: Iterable<string>,
  deliveries: ReadonlyMap<string, number>,
  exposed: ReadonlySet<string>,
): Tally {
  let occurrences = 0;
  let delivered = 0;
  const lostExamples: string[] = [];
  for (const key of made) {
    occurrences++;
    if ((deliveries.get(key) ?? 0) > 0) delivered++;
    else if (lostExamples.length < 5) lostExamples.push(key);
  }
  let duplicated = 0;
  let unexplained = 0;
  for (const [key, times] of deliveries) {
    duplicated += times - 1;
    if (!exposed.has(key)) unexplained += times - 1;
  }
  return {
    occurrences,
    delivered,
    lost: occurrences - delivered,
    duplicated,
    unexplained,
    lostExamples,
  };
}
