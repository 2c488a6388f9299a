import type { OccurrenceMark } from '../event/occurrence.js';

/** One generation: uid -> slot, with the marks in typed arrays (no object per entry). */
class Generation {
  readonly slots = new Map<string, number>();
  /** Slots handed out; a forgotten uid's slot is not reused. */
  #used = 0;
  readonly #counts: Float64Array;
  readonly #lastMs: Float64Array;

  constructor(readonly capacity: number) {
    this.#counts = new Float64Array(capacity);
    this.#lastMs = new Float64Array(capacity);
  }

  get full(): boolean {
    return this.#used >= this.capacity;
  }

  /** Calls `visit` per entry whose uid `skip` does not hold. */
  visit(
    skip: ReadonlyMap<string, unknown> | undefined,
    visit: (uid: string, count: number, lastMs: number) => void,
  ): void {
    for (const [uid, slot] of this.slots) {
      if (skip?.has(uid) !== true)
        visit(uid, this.#counts[slot] as number, this.#lastMs[slot] as number);
    }
  }

  markAt(slot: number): OccurrenceMark {
    return { count: this.#counts[slot] as number, lastMs: this.#lastMs[slot] as number };
  }

  /** The same rule as isLaterOccurrence, without building the stored mark. */
  isLater(slot: number, mark: OccurrenceMark): boolean {
    const count = this.#counts[slot] as number;
    return mark.count !== count ? mark.count > count : mark.lastMs > (this.#lastMs[slot] as number);
  }

  write(slot: number, mark: OccurrenceMark): void {
    this.#counts[slot] = mark.count;
    this.#lastMs[slot] = mark.lastMs;
  }

  /** Adds a uid that is not in this generation yet (the caller checks `full`). */
  add(uid: string, mark: OccurrenceMark): void {
    const slot = this.#used++;
    this.slots.set(uid, slot);
    this.write(slot, mark);
  }
}

/**
 * The latest occurrence emitted per event uid, bounded so memory stays flat
 * however many events a cluster produces. It tells a new occurrence from an
 * update that is none, and after a relist what was emitted already.
 *
 * An approximate LRU in two generations: writes go to `recent`; when it is
 * full it becomes `older` and the previous `older` is dropped whole. A uid
 * found in `older` moves to `recent`. Each entry keeps only its uid string on
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
    const recent = this.#recent.slots.get(uid);
    if (recent !== undefined) return this.#recent.markAt(recent);
    const older = this.#older.slots.get(uid);
    return older === undefined ? undefined : this.#older.markAt(older);
  }

  /** True when `mark` is later than what was recorded for `uid` (or nothing was). */
  isNew(uid: string, mark: OccurrenceMark): boolean {
    const recent = this.#recent.slots.get(uid);
    if (recent !== undefined) return this.#recent.isLater(recent, mark);
    const older = this.#older.slots.get(uid);
    return older === undefined || this.#older.isLater(older, mark);
  }

  /**
   * Records `mark` when it is later than what `uid` has (or `uid` has nothing)
   * and says whether it was; either way `uid` counts as recently used.
   */
  record(uid: string, mark: OccurrenceMark): boolean {
    const recent = this.#recent.slots.get(uid);
    if (recent !== undefined) {
      if (!this.#recent.isLater(recent, mark)) return false;
      this.#recent.write(recent, mark);
      return true;
    }
    const older = this.#older.slots.get(uid);
    const later = older === undefined || this.#older.isLater(older, mark);
    const kept = later || older === undefined ? mark : this.#older.markAt(older);
    if (this.#recent.full) {
      this.#older = this.#recent;
      this.#recent = new Generation(this.#older.capacity);
    }
    this.#recent.add(uid, kept);
    return later;
  }

  forget(uid: string): void {
    this.#recent.slots.delete(uid);
    this.#older.slots.delete(uid);
  }

  /**
   * Every entry, older generation first, without an object per entry:
   * checkpoints snapshot all of them several times a second.
   */
  forEach(visit: (uid: string, count: number, lastMs: number) => void): void {
    this.#older.visit(this.#recent.slots, visit);
    this.#recent.visit(undefined, visit);
  }
}
