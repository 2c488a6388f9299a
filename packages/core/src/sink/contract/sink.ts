import type { KubeEvent } from '../../event/model.js';
import type { EventFilter } from '../../filter/index.js';
import type { DeliveryDefaults } from './delivery.js';

/** What a sink gets with every write. */
export interface SinkWriteContext {
  /** Aborted when the delivery engine gives up on this write (timeout, shutdown). */
  readonly signal: AbortSignal;
}

/**
 * A destination for events. The contract is deliberately small: batching,
 * retries, queueing and rate limits belong to the delivery engine, so a sink
 * never sleeps, loops or retries.
 *
 * `write` resolves when the whole batch is delivered, and rejects with a
 * `SinkError` (see `errors.ts`) that says whether a retry can help. When the
 * service accepted part of the batch (a bulk API's per-item answer), it
 * rejects with a `PartialWriteError` (`partialFailure(sink, batch, failures)`,
 * see `partial.ts`) listing the failed events by index, each with its own
 * SinkError: the engine acknowledges the others, retries the retryable ones
 * alone and dead-letters the permanent ones. A batch may hold digests
 * (`isDigest(event)`) when the route aggregates.
 */
export interface Sink {
  readonly name: string;
  write(batch: readonly KubeEvent[], ctx: SinkWriteContext): Promise<void>;
  /** Flush and release connections; called once, after the last write. */
  close?(): Promise<void>;
  /**
   * The events the sink's own options select (kube-eventer's `level`,
   * `namespaces`, `kinds`); the route applies it, so they count as filtered.
   */
  readonly filter?: EventFilter;
  /**
   * Delivery settings the sink asks for: its definition's defaults and the
   * `batch.*`/`buffer.*`/`request.*`/`aggregate.*` keys of its URI. The one
   * way a sink's settings reach the engine: `defineSink` sets it (a sink
   * written without defineSink may set `defaults`), and a route merges it
   * under the route's own `delivery`.
   */
  readonly delivery?: SinkDeliveryHints;
}

export interface SinkDeliveryHints {
  readonly defaults?: DeliveryDefaults;
  readonly uri?: Readonly<Record<string, string>>;
}
