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

  /** Calls `visit` per entry. */
  visit(visit: (uid: string, count: number, lastMs: number) => void): void {
    for (const [uid, slot] of this.slots) {
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
 * Entries per generation. A Map past 4096 entries outgrows the largest table V8
 * allocates in the young generation: its inserts then cost 2-3x as much (each
 * a write into the old generation), 0.3 µs instead of 0.13.
 */
const GENERATION_ENTRIES = 4096;
/** Lookups of a new uid go through every generation: a bound on their number. */
const MAX_GENERATIONS = 16;

/**
 * The latest occurrence emitted per event uid, bounded so memory stays flat
 * however many events a cluster produces. It tells a new occurrence from an
 * update that is none, and after a relist what was emitted already.
 *
 * An approximate LRU in generations: writes go to the newest; when it is full
 * a new one starts and, past the number of generations, the oldest is dropped
 * whole. A uid found in an older generation moves to the newest. Each entry
 * keeps only its uid string on the JS heap (marks live in typed arrays): a
 * linked-list LRU of mark objects halved ingest throughput through
 * bookkeeping and garbage collection.
 */
export class SeenOccurrences {
  /** Oldest first; the last one takes the writes. */
  readonly #generations: Generation[];
  readonly #maxGenerations: number;
  readonly #perGeneration: number;

  constructor(readonly capacity: number) {
    if (!(capacity >= 2)) throw new RangeError(`seen capacity must be >= 2, got ${capacity}`);
    this.#maxGenerations = Math.min(
      MAX_GENERATIONS,
      Math.max(2, Math.ceil(capacity / GENERATION_ENTRIES)),
    );
    this.#perGeneration = Math.floor(capacity / this.#maxGenerations);
    this.#generations = [new Generation(this.#perGeneration)];
  }

  /** Uids remembered now: at most `capacity`. */
  get size(): number {
    let size = 0;
    for (const generation of this.#generations) size += generation.slots.size;
    return size;
  }

  get(uid: string): OccurrenceMark | undefined {
    const found = this.#find(uid);
    return found?.generation.markAt(found.slot);
  }

  /** True when `mark` is later than what was recorded for `uid` (or nothing was). */
  isNew(uid: string, mark: OccurrenceMark): boolean {
    const found = this.#find(uid);
    return found === undefined || found.generation.isLater(found.slot, mark);
  }

  /**
   * Records `mark` when it is later than what `uid` has (or `uid` has nothing)
   * and says whether it was; either way `uid` counts as recently used.
   */
  record(uid: string, mark: OccurrenceMark): boolean {
    const generations = this.#generations;
    let newest = generations[generations.length - 1] as Generation;
    const slot = newest.slots.get(uid);
    if (slot !== undefined) {
      if (!newest.isLater(slot, mark)) return false;
      newest.write(slot, mark);
      return true;
    }
    let later = true;
    let kept = mark;
    for (let i = generations.length - 2; i >= 0; i--) {
      const older = generations[i] as Generation;
      const olderSlot = older.slots.get(uid);
      if (olderSlot === undefined) continue;
      later = older.isLater(olderSlot, mark);
      if (!later) kept = older.markAt(olderSlot);
      older.slots.delete(uid); // it moves to the newest generation
      break;
    }
    if (newest.full) {
      newest = new Generation(this.#perGeneration);
      generations.push(newest);
      if (generations.length > this.#maxGenerations) generations.shift();
    }
    newest.add(uid, kept);
    return later;
  }

  forget(uid: string): void {
    for (const generation of this.#generations) generation.slots.delete(uid);
  }

  /**
   * Every entry, oldest generation first, without an object per entry:
   * checkpoints snapshot all of them several times a second.
   */
  forEach(visit: (uid: string, count: number, lastMs: number) => void): void {
    for (const generation of this.#generations) generation.visit(visit);
  }

  #find(uid: string): { generation: Generation; slot: number } | undefined {
    for (let i = this.#generations.length - 1; i >= 0; i--) {
      const generation = this.#generations[i] as Generation;
      const slot = generation.slots.get(uid);
      if (slot !== undefined) return { generation, slot };
    }
    return undefined;
  }
}
