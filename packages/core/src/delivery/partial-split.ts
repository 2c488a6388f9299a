import type { KubeEvent } from '../event/model.js';
import { retryableError, type SinkError } from '../sink/contract/errors.js';
import { eventFailureProblems, isPartialWriteError } from '../sink/contract/partial.js';

/** A partial write's batch, split by what happened to each event. */
export interface PartialSplit {
  /** Delivered: acknowledged at once. */
  readonly accepted: readonly KubeEvent[];
  /** Failed retryably: the next attempt sends these alone. */
  readonly retry: readonly KubeEvent[];
  /** The retry's error: the one with the longest Retry-After. Set when `retry` is not empty. */
  readonly retryError: SinkError | undefined;
  /** Failed permanently: dead-lettered now, grouped by error message. */
  readonly permanent: ReadonlyArray<{ readonly events: KubeEvent[]; readonly error: SinkError }>;
}

/**
 * Reads a failed write: undefined for a whole-batch failure, a split for a
 * usable partial report, or, for a report that cannot be used (an index out
 * of range or repeated), a retryable error for the whole batch that says
 * what was wrong: repeating accepted events is better than losing any.
 */
export function splitPartialWrite(
  sink: string,
  batch: readonly KubeEvent[],
  error: SinkError,
): PartialSplit | SinkError | undefined {
  if (!isPartialWriteError(error)) return undefined;
  const problems = eventFailureProblems(batch.length, error.failures);
  if (problems.length > 0) {
    return retryableError(
      sink,
      `the sink reported a partial failure the engine cannot use, so the whole batch of ` +
        `${batch.length} is retried: ${problems.slice(0, 3).join('; ')}. ` +
        'Fix the sink: list each failed event once, by its index in the batch it was given.',
      { cause: error },
    );
  }
  const failed = new Map(error.failures.map((f) => [f.index, f.error]));
  const accepted: KubeEvent[] = [];
  const retry: KubeEvent[] = [];
  let retryError: SinkError | undefined;
  const permanent = new Map<string, { events: KubeEvent[]; error: SinkError }>();
  for (const [index, event] of batch.entries()) {
    const failure = failed.get(index);
    if (!failure) accepted.push(event);
    else if (failure.retryable) {
      retry.push(event);
      if (!retryError || (failure.retryAfterMs ?? 0) > (retryError.retryAfterMs ?? 0)) {
        retryError = failure;
      }
    } else {
      const group = permanent.get(failure.message);
      if (group) group.events.push(event);
      else permanent.set(failure.message, { events: [event], error: failure });
    }
  }
  return { accepted, retry, retryError, permanent: [...permanent.values()] };
}
