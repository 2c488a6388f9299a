/**
 * Counts occurrences by kind and reports them at most once per interval: the
 * first at once, the rest of a burst when the interval ends (or on `flush()`),
 * so every report covers everything since the one before, and nothing counted
 * goes unreported.
 */
export class BurstReport<K extends string> {
  readonly #intervalMs: number;
  readonly #report: (byKind: Readonly<Partial<Record<K, number>>>, total: number) => void;
  #pending: Partial<Record<K, number>> = {};
  #pendingTotal = 0;
  #lastReportAt = Number.NEGATIVE_INFINITY;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    intervalMs: number,
    report: (byKind: Readonly<Partial<Record<K, number>>>, total: number) => void,
  ) {
    this.#intervalMs = intervalMs;
    this.#report = report;
  }

  add(kind: K, count = 1): void {
    this.#pending[kind] = (this.#pending[kind] ?? 0) + count;
    this.#pendingTotal += count;
    if (this.#timer !== undefined) return;
    const wait = this.#lastReportAt + this.#intervalMs - performance.now();
    if (wait <= 0) {
      this.flush();
      return;
    }
    // Unref'd: a report never keeps the process alive; the route flushes when it stops.
    this.#timer = setTimeout(() => this.flush(), wait);
    this.#timer.unref?.();
  }

  /** Reports what was counted since the last report, if anything. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pendingTotal === 0) return;
    const byKind = this.#pending;
    const total = this.#pendingTotal;
    this.#pending = {};
    this.#pendingTotal = 0;
    this.#lastReportAt = performance.now();
    this.#report(byKind, total);
  }
}
