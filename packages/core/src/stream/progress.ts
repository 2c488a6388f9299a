import type { KubeEvent } from '../event/model.js';
import type { OccurrenceMark } from '../event/occurrence.js';
import type { Checkpoint } from './checkpoint.js';
import { SeenOccurrences } from './seen.js';
import { cutoffFromText, cutoffToText } from './since.js';

/**
 * What the stream has emitted and what of it has been handled (acked), so that
 * a checkpoint only ever covers handled occurrences: at-least-once, with
 * repeats limited to what was in flight.
 */
export class StreamProgress {
  readonly seen: SeenOccurrences;
  /** The position of the last line read (event or bookmark). */
  resourceVersion = '';
  /**
   * The start point of the list from no position, saved with a checkpoint that
   * is still before that list's end (its events not all handled).
   */
  listCutoffMs: number | undefined;
  /** Emitted, not yet handled: each with the position before its line (resuming there replays it). */
  readonly #inFlight = new Map<KubeEvent, string>();
  #changed = false;

  constructor(seenCapacity: number) {
    this.seen = new SeenOccurrences(seenCapacity);
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** True once something moved since the last {@link snapshot}. */
  get changed(): boolean {
    return this.#changed;
  }

  advance(resourceVersion: string): void {
    if (resourceVersion && resourceVersion !== this.resourceVersion) {
      this.resourceVersion = resourceVersion;
      this.#changed = true;
    }
  }

  /** Records an occurrence handled without being emitted (older than the start point). */
  skip(uid: string, mark: OccurrenceMark): void {
    this.seen.record(uid, mark);
    this.#changed = true;
  }

  emit(event: KubeEvent, mark: OccurrenceMark, resourceVersionBefore: string): void {
    this.seen.record(event.uid, mark);
    this.#track(event, resourceVersionBefore);
  }

  /** Emits `event` if it is a new occurrence; false (nothing emitted) when it is not. */
  emitIfNew(event: KubeEvent, mark: OccurrenceMark, resourceVersionBefore: string): boolean {
    if (!this.seen.record(event.uid, mark)) return false;
    this.#track(event, resourceVersionBefore);
    return true;
  }

  /** Marks an emitted event as handled; unknown or already acked events are ignored. */
  ack(event: KubeEvent): void {
    if (this.#inFlight.delete(event)) this.#changed = true;
  }

  #track(event: KubeEvent, resourceVersionBefore: string): void {
    this.#inFlight.set(event, resourceVersionBefore);
  }

  forget(uid: string): void {
    this.seen.forget(uid);
    this.#changed = true;
  }

  /** Restores the seen occurrences of a checkpoint; returns its list start point, if it has one. */
  restore(checkpoint: Checkpoint): number | undefined {
    for (const [uid, count, lastMs] of checkpoint.seen) this.seen.record(uid, { count, lastMs });
    this.resourceVersion = checkpoint.resourceVersion;
    return cutoffFromText(checkpoint.listCutoff);
  }

  snapshot(scope: string): Checkpoint {
    const first = this.#inFlight.values().next();
    // Built per snapshot (a few a second), not kept per event (100k a second).
    const inFlightUids = new Set<string>();
    for (const event of this.#inFlight.keys()) inFlightUids.add(event.uid);
    const seen: Array<readonly [string, number, number]> = [];
    this.seen.forEach((uid, count, lastMs) => {
      // An in-flight uid is left out: after a restart its current occurrence is emitted again.
      if (!inFlightUids.has(uid)) seen.push([uid, count, lastMs]);
    });
    this.#changed = false;
    const resourceVersion = first.done ? this.resourceVersion : first.value;
    const listCutoffMs = resourceVersion === '' ? this.listCutoffMs : undefined;
    return {
      version: 1,
      resourceVersion,
      seen,
      scope,
      savedAt: new Date().toISOString(),
      ...(listCutoffMs === undefined ? {} : { listCutoff: cutoffToText(listCutoffMs) }),
    };
  }
}
