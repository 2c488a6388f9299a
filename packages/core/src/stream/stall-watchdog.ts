import type { StreamContext } from './context.js';
import { WatchStalledError } from './errors.js';

/**
 * Aborts the open watch when it has been waiting for a complete line longer
 * than stallTimeoutMs (a server that never answers the watch request counts).
 * Only while waiting: the consumer's time and the backoffs are no silence.
 */
export class StallWatchdog {
  readonly #ctx: StreamContext;
  #timer: NodeJS.Timeout | undefined;
  /** While waiting for watch data: since when; 0 when not waiting. */
  #waitingSince = 0;
  #watchAbort: AbortController | undefined;

  constructor(ctx: StreamContext) {
    this.#ctx = ctx;
  }

  start(): void {
    const { stallTimeoutMs } = this.#ctx.options;
    this.#timer = setInterval(() => this.#check(), Math.min(1000, stallTimeoutMs / 4));
    this.#timer.unref();
  }

  /** Stops checking and cuts the open watch, if any. */
  stop(): void {
    clearInterval(this.#timer);
    this.#watchAbort?.abort();
  }

  /** A new watch: a stall aborts it through the returned controller. */
  watchStarted(): AbortController {
    this.#watchAbort = new AbortController();
    return this.#watchAbort;
  }

  /** The watch waits for data; silent since `sinceMs`. */
  waiting(sinceMs: number): void {
    this.#waitingSince = sinceMs;
  }

  /** The watch is not waiting (data came, or no watch is open). */
  idle(): void {
    this.#waitingSince = 0;
  }

  #check(): void {
    const silentMs = this.#waitingSince ? Date.now() - this.#waitingSince : 0;
    const watch = this.#watchAbort;
    if (silentMs > this.#ctx.options.stallTimeoutMs && watch && !watch.signal.aborted) {
      this.#ctx.stats.stalls++;
      const error = new WatchStalledError(silentMs);
      this.#ctx.setState('stalled', { error });
      watch.abort(error);
    }
  }
}
