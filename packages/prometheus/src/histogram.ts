import type { HistogramSnapshot } from '@keventer/core';
import { Histogram } from 'prom-client';

type Labels = Readonly<Record<string, string>>;
type HistogramOutput = Awaited<ReturnType<Histogram['get']>>;
type Value = HistogramOutput['values'][number];

/**
 * A prom-client Histogram whose buckets come from core's histogram snapshots
 * at scrape time: core observes without prom-client on the hot path. Values
 * are converted from milliseconds to seconds, Prometheus' base unit.
 */
export class SnapshotHistogram extends Histogram {
  readonly #name: string;
  readonly #help: string;
  readonly #read: () => ReadonlyArray<readonly [Labels, HistogramSnapshot]>;

  constructor(
    config: { name: string; help: string; labelNames: readonly string[] },
    read: () => ReadonlyArray<readonly [Labels, HistogramSnapshot]>,
  ) {
    super({ ...config, labelNames: [...config.labelNames], registers: [] });
    this.#name = config.name;
    this.#help = config.help;
    this.#read = read;
  }

  // The registry renders text from getForPromString() (untyped in prom-client's
  // declarations), JSON from get(); both give the snapshot.
  async getForPromString(): Promise<HistogramOutput> {
    return this.get();
  }

  override async get(): Promise<HistogramOutput> {
    const values: Value[] = [];
    for (const [labels, snapshot] of this.#read()) {
      let cumulative = 0;
      snapshot.boundsMs.forEach((boundMs, i) => {
        cumulative += snapshot.counts[i] ?? 0;
        values.push(this.#value('bucket', { ...labels, le: boundMs / 1000 }, cumulative));
      });
      values.push(
        this.#value('bucket', { ...labels, le: '+Inf' }, snapshot.count),
        this.#value('sum', labels, snapshot.sumMs / 1000),
        this.#value('count', labels, snapshot.count),
      );
    }
    return {
      name: this.#name,
      help: this.#help,
      // prom-client's typings say an enum; its registry reads the text name.
      type: 'histogram' as unknown as HistogramOutput['type'],
      aggregator: 'sum',
      collect: () => {},
      values,
    };
  }

  #value(suffix: string, labels: Record<string, string | number>, value: number): Value {
    return { metricName: `${this.#name}_${suffix}`, labels, value };
  }
}
