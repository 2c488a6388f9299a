/** setTimeout fires at once for delays above this (about 24.8 days). */
export const MAX_TIMER_MS = 2_147_483_647;

export interface SleepOptions {
  /** Ends the wait early: the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** false: the wait does not keep the process alive (background work). @default true */
  readonly ref?: boolean;
}

/**
 * The one sleep of core (delivery retries, watch reconnects, checkpoint
 * saves). Waits at least `ms`: timers can fire a millisecond early, so it
 * re-arms for the rest, and delays past MAX_TIMER_MS are waited in steps.
 * Rejects with the signal's reason once it aborts.
 */
export function sleep(ms: number, options: SleepOptions = {}): Promise<void> {
  const { signal, ref = true } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const until = performance.now() + ms;
    const tick = (): void => {
      const left = until - performance.now();
      if (left <= 0) {
        signal?.removeEventListener('abort', onAbort);
        resolve();
        return;
      }
      timer = setTimeout(tick, Math.min(Math.ceil(left), MAX_TIMER_MS));
      if (!ref) timer.unref();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    tick();
  });
}
