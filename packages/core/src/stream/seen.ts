import { isLaterOccurrence, type OccurrenceMark } from '../event/occurrence.js';

/**
 * The latest occurrence emitted per event uid, bounded so memory stays flat
 * however many events a cluster produces. It tells a new occurrence from an
 * update that is none, and after a relist what was emitted already.
 *
 * An approximate LRU in two generations: writes go to `recent`; when it is
 * full it becomes `older` and the previous `older` is dropped whole. A uid
 * read from `older` moves to `recent`. This costs two plain Map operations per
 * event, where a linked-list LRU doubled the ingest time at 100k entries
 * through its bookkeeping and garbage.
 */
export class SeenOccurrences {
  #recent = new Map<string, OccurrenceMark>();
  #older = new Map<string, OccurrenceMark>();
  readonly #generationSize: number;

  constructor(readonly capacity: number) {
    if (!(capacity >= 2)) throw new RangeError(`seen capacity must be >= 2, got ${capacity}`);
    this.#generationSize = Math.floor(capacity / 2);
  }

  /** Uids remembered now: at most `capacity`. */
  get size(): number {
    return this.#recent.size + this.#older.size;
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
    this.#set(uid, previous === undefined || isLaterOccurrence(mark, previous) ? mark : previous);
  }

  forget(uid: string): void {
    this.#recent.delete(uid);
    this.#older.delete(uid);
  }

  /** Entries, older generation first. */
  *entries(): IterableIterator<[string, OccurrenceMark]> {
    for (const entry of this.#older) if (!this.#recent.has(entry[0])) yield entry;
    yield* this.#recent;
  }

  #set(uid: string, mark: OccurrenceMark): void {
    if (!this.#recent.has(uid) && this.#recent.size >= this.#generationSize) {
      this.#older = this.#recent;
      this.#recent = new Map();
    }
    this.#recent.set(uid, mark);
  }
}
