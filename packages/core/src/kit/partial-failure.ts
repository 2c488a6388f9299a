import type { KubeEvent } from '../event/model.js';
import { type EventFailure, PartialWriteError } from '../sink/contract/partial.js';

/**
 * The error a sink throws when its service accepted part of `batch` (a bulk
 * API's per-item answer): `failures` lists the events that failed by their
 * index in `batch`, each with a retryable or permanent SinkError. The engine
 * acknowledges the others at once, retries the retryable ones alone and
 * dead-letters the permanent ones.
 *
 * ```ts
 * const failures = items.flatMap((item, index) => item.error ? [{ index, error: judge(item) }] : []);
 * if (failures.length > 0) throw kit.partialFailure(SINK_NAME, batch, failures);
 * ```
 */
export function partialFailure(
  sink: string,
  batch: readonly KubeEvent[],
  failures: readonly EventFailure[],
): PartialWriteError {
  return new PartialWriteError(sink, batch.length, failures);
}
