import type { KubeEvent } from '../event/model.js';

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
 * `SinkError` (see `errors.ts`) that says whether a retry can help.
 */
export interface Sink {
  readonly name: string;
  write(batch: readonly KubeEvent[], ctx: SinkWriteContext): Promise<void>;
  /** Flush and release connections; called once, after the last write. */
  close?(): Promise<void>;
}
