/** Upper bounds in ms: from a fast local send to a 5-minute outage. */
export const DURATION_BUCKETS_MS: readonly number[] = [
  1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 300_000,
];

export interface HistogramSnapshot {
  /** Upper bounds in ms; `counts` has one more entry, for values above the last. */
  readonly boundsMs: readonly number[];
  /** Observations per bucket (not cumulative). */
  readonly counts: readonly number[];
  readonly sumMs: number;
  readonly count: number;
}

/** A fixed-bucket histogram: constant memory and a few comparisons per observation. */
export class Histogram {
  readonly #bounds: readonly number[];
  readonly #counts: Float64Array;
  #sum = 0;
  #count = 0;

  constructor(boundsMs: readonly number[] = DURATION_BUCKETS_MS) {
    this.#bounds = boundsMs;
    this.#counts = new Float64Array(boundsMs.length + 1);
  }

  observe(ms: number): void {
    if (!(ms >= 0)) return; // NaN (no timestamp) or a clock step back
    let i = 0;
    while (i < this.#bounds.length && ms > (this.#bounds[i] as number)) i++;
    this.#counts[i] = (this.#counts[i] ?? 0) + 1;
    this.#sum += ms;
    this.#count++;
  }

  snapshot(): HistogramSnapshot {
    return {
      boundsMs: this.#bounds,
      counts: [...this.#counts],
      sumMs: this.#sum,
      count: this.#count,
    };
  }

  /** The bucket bound below which `q` of the observations fall (an upper estimate). */
  quantileMs(q: number): number {
    const target = q * this.#count;
    let seen = 0;
    for (let i = 0; i < this.#counts.length; i++) {
      seen += this.#counts[i] ?? 0;
      if (seen >= target && seen > 0) return this.#bounds[i] ?? Number.POSITIVE_INFINITY;
    }
    return 0;
  }
}
