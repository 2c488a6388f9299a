import { EventTag } from '../event/event-tag.js';
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
  /** Emitted, not yet handled, in emission order (with handled ones not yet compacted away). */
  readonly #inFlight = new InFlightQueue();
  readonly #tags = new EventTag<InFlight>('keventer.inFlight');
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
    const entry = this.#tags.get(event);
    if (entry === undefined) return;
    this.#tags.clear(event);
    this.#inFlight.handled(entry);
    this.#changed = true;
  }

  #track(event: KubeEvent, resourceVersionBefore: string): void {
    const entry: InFlight = { uid: event.uid, resourceVersionBefore, handled: false };
    this.#tags.set(event, entry);
    this.#inFlight.push(entry);
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
    const first = this.#inFlight.first();
    // Built per snapshot (a few a second), not kept per event (100k a second).
    const inFlightUids = this.#inFlight.uids();
    const seen: Array<readonly [string, number, number]> = [];
    this.seen.forEach((uid, count, lastMs) => {
      // An in-flight uid is left out: after a restart its current occurrence is emitted again.
      if (!inFlightUids.has(uid)) seen.push([uid, count, lastMs]);
    });
    this.#changed = false;
    const resourceVersion = first?.resourceVersionBefore ?? this.resourceVersion;
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

/** One emitted event until it is handled: its uid and the position before its line. */
interface InFlight {
  readonly uid: string;
  readonly resourceVersionBefore: string;
  handled: boolean;
}

/**
 * The events in flight in emission order. Handled entries leave from the front
 * at once; one handled behind an older unhandled one stays until a compaction,
 * which runs when they outnumber the unhandled ones (so memory stays within
 * about twice the events in flight, and each entry is moved at most twice).
 */
class InFlightQueue {
  #entries: InFlight[] = [];
  #head = 0;
  #size = 0;

  /** Entries not handled yet. */
  get size(): number {
    return this.#size;
  }

  push(entry: InFlight): void {
    this.#entries.push(entry);
    this.#size++;
  }

  handled(entry: InFlight): void {
    if (entry.handled) return;
    entry.handled = true;
    this.#size--;
    const entries = this.#entries;
    let head = this.#head;
    while (head < entries.length && (entries[head] as InFlight).handled) head++;
    this.#head = head;
    const held = entries.length - head;
    if (held === 0) this.#entries = [];
    else if (head > 1024 || held - this.#size > this.#size + 1024) {
      this.#entries = entries.slice(head).filter((e) => !e.handled);
    } else return;
    this.#head = 0;
  }

  /** The oldest entry not handled yet. */
  first(): InFlight | undefined {
    return this.#entries[this.#head];
  }

  /** The uids of the entries not handled yet. */
  uids(): Set<string> {
    const uids = new Set<string>();
    for (let i = this.#head; i < this.#entries.length; i++) {
      const entry = this.#entries[i] as InFlight;
      if (!entry.handled) uids.add(entry.uid);
    }
    return uids;
  }
}
