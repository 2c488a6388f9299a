import type { HistogramSnapshot } from './histogram.js';
import type { GiveUpReason } from './retry-policy.js';
import type { RouteStats } from './route.js';

/** Why occurrences were dead-lettered (an aborted batch is replayed, not failed). */
export type FailureReason = Exclude<GiveUpReason, 'aborted'>;

/**
 * The user code a route calls (the route's and the sink's filter, the dedup,
 * `aggregateKey`, `onDeadLetter`, the logger's methods): each call is guarded,
 * and what it throws is counted under its name.
 */
export const CALLBACK_NAMES = [
  'filter',
  'sinkFilter',
  'dedup',
  'aggregateKey',
  'onDeadLetter',
  'logger',
] as const;
export type CallbackName = (typeof CALLBACK_NAMES)[number];

/**
 * One route's numbers, for metrics. Counters count occurrences (a digest
 * counts as the occurrences it stands for) unless said otherwise. Labels are
 * the route and sink names only: never an object name or a namespace.
 */
export interface RouteMetrics extends RouteStats {
  readonly route: string;
  readonly sink: string;
  /** Digests made by the aggregation window. */
  readonly digests: number;
  /** Items (events and digests) that entered the buffer. */
  readonly enqueued: number;
  /** Attempts after a batch's first. */
  readonly retries: number;
  /**
   * Items (events and digests) written again by those attempts. After a
   * partial write only its retryable failures are, not what the sink accepted.
   */
  readonly retriedEvents: number;
  /** Writes the sink reported partly failed (a bulk API that took part of a batch). */
  readonly partialBatches: number;
  /** Items those partial writes delivered, acknowledged at once. */
  readonly partialAccepted: number;
  readonly droppedBy: Readonly<{ dropOldest: number; dropNewest: number }>;
  readonly failedBy: Readonly<Record<FailureReason, number>>;
  /** Throws (and rejections) of user callbacks, by callback; delivery went on. */
  readonly callbackErrors: Readonly<Record<CallbackName, number>>;
  /** Gauges: items in the buffer, occurrences held in aggregation windows, items being sent. */
  readonly queueDepth: number;
  readonly held: number;
  readonly inFlight: number;
  /** How long every attempt has failed, 0 while the sink delivers. */
  readonly failingForMs: number;
  /** Each attempt's duration. */
  readonly sendDuration: HistogramSnapshot;
  /** Delivery time minus the event's last occurrence time, per delivered item. */
  readonly lag: HistogramSnapshot;
}
