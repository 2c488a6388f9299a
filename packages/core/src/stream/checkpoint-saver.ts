import type { Logger } from '../logger.js';
import { sleep } from '../time/sleep.js';
import type { Checkpoint, CheckpointStore } from './checkpoint.js';
import type { StreamStats } from './state.js';

/** Saves are spaced at least this many times the event-loop time they take. */
const SAVE_COST_FACTOR = 20;

/**
 * The one place that decides when the checkpoint is saved: one save at a
 * time, each counted (or its failure counted and logged). Saves come
 * - every `intervalMs` while the stream runs, when something changed;
 * - soon after acknowledgements, when asked ({@link soon}): at once after a
 *   quiet spell, then at most every `maxDelayMs` while they continue. A save
 *   snapshots the seen set (20k uids by default) synchronously, so these saves
 *   are also spaced SAVE_COST_FACTOR times that blocking part (not the I/O,
 *   which blocks nothing): under ~5% of the time however large the checkpoint grows;
 * - at once, when the stream stops or its owner drains ({@link now}).
 */
export class CheckpointSaver {
  readonly #store: CheckpointStore | undefined;
  readonly #snapshot: () => Checkpoint;
  readonly #stats: StreamStats;
  readonly #logger: Logger;
  #saving: Promise<void> = Promise.resolve();
  /** How long the last save held the event loop: the snapshot and the store's synchronous part. */
  #costMs = 0;
  #interval: NodeJS.Timeout | undefined;
  /** A save was asked for and has not started yet. */
  #asked = false;
  #spacing = false;
  #maxDelayMs = 0;
  #nextSaveAt = 0;

  constructor(
    store: CheckpointStore | undefined,
    snapshot: () => Checkpoint,
    stats: StreamStats,
    logger: Logger,
  ) {
    this.#store = store;
    this.#snapshot = snapshot;
    this.#stats = stats;
    this.#logger = logger;
  }

  /** Saves now, after the save under way if any. */
  now(): Promise<void> {
    const store = this.#store;
    if (!store) return Promise.resolve();
    this.#saving = this.#saving.then(async () => {
      try {
        const started = performance.now();
        const saved = store.save(this.#snapshot());
        this.#costMs = performance.now() - started;
        await saved;
        this.#stats.checkpointSaves++;
      } catch (error) {
        this.#stats.checkpointErrors++;
        this.#logger.warn({ err: error }, 'saving the checkpoint failed');
      }
    });
    return this.#saving;
  }

  /** Saves every `intervalMs` while `changed()` says something moved, until {@link stopInterval}. */
  startInterval(intervalMs: number, changed: () => boolean): void {
    this.#interval = setInterval(() => changed() && void this.now(), intervalMs);
    this.#interval.unref();
  }

  stopInterval(): void {
    clearInterval(this.#interval);
  }

  /** Asks for a save within about `maxDelayMs` (see the class); asks before it starts coalesce. */
  soon(maxDelayMs: number): void {
    this.#maxDelayMs = maxDelayMs;
    this.#asked = true;
    if (!this.#spacing) void this.#spaced();
  }

  async #spaced(): Promise<void> {
    this.#spacing = true;
    while (this.#asked) {
      const wait = this.#nextSaveAt - performance.now();
      if (wait > 0) await sleep(wait, { ref: false });
      this.#asked = false;
      await this.now();
      const spacing = Math.max(this.#maxDelayMs, SAVE_COST_FACTOR * this.#costMs);
      this.#nextSaveAt = performance.now() + spacing;
    }
    this.#spacing = false;
  }
}
