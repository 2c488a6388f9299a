import { isLaterOccurrence, type OccurrenceMark } from '../event/occurrence.js';

/** One generation: uid -> slot, with the marks in typed arrays (no object per entry). */
class Generation {
  readonly slots = new Map<string, number>();
  /** Slots handed out; a forgotten uid's slot is not reused. */
  #used = 0;
  readonly counts: Float64Array;
  readonly lastMs: Float64Array;

  constructor(readonly capacity: number) {
    this.counts = new Float64Array(capacity);
    this.lastMs = new Float64Array(capacity);
  }

  get full(): boolean {
    return this.#used >= this.capacity;
  }

  get(uid: string): OccurrenceMark | undefined {
    const slot = this.slots.get(uid);
    return slot === undefined
      ? undefined
      : { count: this.counts[slot] as number, lastMs: this.lastMs[slot] as number };
  }

  set(uid: string, mark: OccurrenceMark): void {
    let slot = this.slots.get(uid);
    if (slot === undefined) {
      slot = this.#used++;
      this.slots.set(uid, slot);
    }
    this.counts[slot] = mark.count;
    this.lastMs[slot] = mark.lastMs;
  }
}

/**
 * The latest occurrence emitted per event uid, bounded so memory stays flat
 * however many events a cluster produces. It tells a new occurrence from an
 * update that is none, and after a relist what was emitted already.
 *
 * An approximate LRU in two generations: writes go to `recent`; when it is
 * full it becomes `older` and the previous `older` is dropped whole. A uid
 * read from `older` moves to `recent`. Each entry keeps only its uid string on
 * the JS heap (marks live in typed arrays): a linked-list LRU of mark objects
 * halved ingest throughput through bookkeeping and garbage collection.
 */
export class SeenOccurrences {
  #recent: Generation;
  #older: Generation;

  constructor(readonly capacity: number) {
    if (!(capacity >= 2)) throw new RangeError(`seen capacity must be >= 2, got ${capacity}`);
    this.#recent = new Generation(Math.floor(capacity / 2));
    this.#older = new Generation(0);
  }

  /** Uids remembered now: at most `capacity`. */
  get size(): number {
    let size = this.#recent.slots.size;
    for (const uid of this.#older.slots.keys()) if (!this.#recent.slots.has(uid)) size++;
    return size;
  }

  get(uid: string): OccurrenceMark | undefined {
    return this.#recent.get(uid) ?? this.#older.get(uid);
  }

  /** True when `mark` is later than what was recorded for `uid` (or nothing was). */
  isNew(uid: string, mark: OccurrenceMark): boolean {
    const previous = this.get(uid);
    return previous === undefined || isLaterOccurrence(mark, previous);
  }

  /** Records `mark` unless an equal or later one is already recorded. */
  record(uid: string, mark: OccurrenceMark): void {
    const previous = this.get(uid);
    const latest = previous === undefined || isLaterOccurrence(mark, previous) ? mark : previous;
    if (!this.#recent.slots.has(uid) && this.#recent.full) {
      this.#older = this.#recent;
      this.#recent = new Generation(this.#older.capacity);
    }
    this.#recent.set(uid, latest);
  }

  /** Forgets `uid`: the slot stays used until its generation is dropped. */
  forget(uid: string): void {
    this.#recent.slots.delete(uid);
    this.#older.slots.delete(uid);
  }

  /** Entries, older generation first. */
  *entries(): IterableIterator<[string, OccurrenceMark]> {
    for (const uid of this.#older.slots.keys()) {
      if (!this.#recent.slots.has(uid)) yield [uid, this.#older.get(uid) as OccurrenceMark];
    }
    for (const uid of this.#recent.slots.keys())
      yield [uid, this.#recent.get(uid) as OccurrenceMark];
  }
}
