import { isLaterOccurrence, type OccurrenceMark } from '../event/occurrence.js';

/**
 * The latest occurrence emitted per event uid, bounded as an LRU map so memory
 * stays flat however many events a cluster produces. It lets a relist (after
 * a 410 or a restart) emit only what was not emitted before.
 */
export class SeenOccurrences {
  readonly #marks = new Map<string, OccurrenceMark>();

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`seen capacity must be >= 1, got ${capacity}`);
  }

  get size(): number {
    return this.#marks.size;
  }

  get(uid: string): OccurrenceMark | undefined {
    return this.#marks.get(uid);
  }

  /** True when `mark` is later than what was recorded for `uid` (or nothing was). */
  isNew(uid: string, mark: OccurrenceMark): boolean {
    const previous = this.#marks.get(uid);
    return previous === undefined || isLaterOccurrence(mark, previous);
  }

  /** Records `mark` unless an equal or later one is already recorded. */
  record(uid: string, mark: OccurrenceMark): void {
    const previous = this.#marks.get(uid);
    if (previous !== undefined) {
      if (!isLaterOccurrence(mark, previous)) return;
      this.#marks.delete(uid); // re-insert to refresh its LRU position
    } else if (this.#marks.size >= this.capacity) {
      const oldest = this.#marks.keys().next().value as string;
      this.#marks.delete(oldest);
    }
    this.#marks.set(uid, mark);
  }

  forget(uid: string): void {
    this.#marks.delete(uid);
  }

  entries(): IterableIterator<[string, OccurrenceMark]> {
    return this.#marks.entries();
  }
}
