import { cleanText } from './clean-text.js';
import { isSinkError, SinkError } from './errors.js';

/** One event of a batch that the service did not accept: its index in the batch written, and why. */
export interface EventFailure {
  /** Position in the batch given to `write` (0-based), as bulk APIs answer per item. */
  readonly index: number;
  /** Retryable or permanent, like a whole batch's error; `retryAfterMs` is honoured. */
  readonly error: SinkError;
}

const MAX_MESSAGE_CHARS = 1024;

/**
 * A write whose service accepted part of the batch: the events listed in
 * `failures` failed, every other one was delivered. Thrown, not returned, so
 * that whatever does not know it (an older engine, a wrapper) still sees a
 * failed write and retries the whole batch: a repeat, never a loss. It is a
 * SinkError (retryable when any failure is, with the longest Retry-After).
 */
export class PartialWriteError extends SinkError {
  readonly failures: readonly EventFailure[];
  /** The length of the batch the indices refer to. */
  readonly batchSize: number;

  constructor(sink: string, batchSize: number, failures: readonly EventFailure[]) {
    const retryable = failures.some((f) => f.error?.retryable === true);
    const waits = failures.flatMap((f) =>
      f.error?.retryable === true ? [f.error.retryAfterMs ?? 0] : [],
    );
    const retryAfterMs = waits.length > 0 ? Math.max(...waits) : 0;
    super(sink, describeFailures(batchSize, failures), retryable, {
      ...(retryAfterMs > 0 ? { retryAfterMs } : {}),
    });
    // Built inside the write, where the sink's secrets are known: mask them in every message.
    for (const failure of failures) {
      if (!(failure?.error instanceof Error)) continue;
      try {
        failure.error.message = cleanText(failure.error.message, MAX_MESSAGE_CHARS);
      } catch {
        // A frozen error: its own constructor cleaned it.
      }
    }
    this.failures = failures;
    this.batchSize = batchSize;
  }
}

/** Also true for a PartialWriteError from another copy of @keventer/core. */
export function isPartialWriteError(err: unknown): err is PartialWriteError {
  return isSinkError(err) && Array.isArray((err as { failures?: unknown }).failures);
}

/**
 * What is wrong with a partial report for a batch of `batchSize` events: an
 * index that is no integer, out of range or repeated, an error that is no
 * SinkError, no failure at all. Empty when the report can be used.
 */
export function eventFailureProblems(
  batchSize: number,
  failures: readonly EventFailure[],
): string[] {
  const problems: string[] = [];
  if (failures.length === 0) problems.push('it lists no failed event (resolve instead)');
  const seen = new Set<number>();
  for (const [at, failure] of failures.entries()) {
    const index = (failure as { index?: unknown } | null)?.index;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= batchSize) {
      problems.push(
        `failure ${at} has index ${String(index)}, not one of the batch's 0..${batchSize - 1}`,
      );
      continue;
    }
    if (seen.has(index)) problems.push(`index ${index} is listed twice`);
    seen.add(index);
    if (!isSinkError(failure.error)) {
      problems.push(
        `the error of index ${index} is no SinkError (use retryableError/permanentError)`,
      );
    }
  }
  return problems;
}

function describeFailures(batchSize: number, failures: readonly EventFailure[]): string {
  const retryable = failures.filter((f) => f.error?.retryable).length;
  const first = failures[0];
  const why = first?.error?.message?.replace(/^\[keventer\] (\[[^\]]*\] )?/, '') ?? '';
  return (
    `${failures.length} of ${batchSize} events failed ` +
    `(${retryable} retryable, ${failures.length - retryable} permanent)` +
    (first ? `; event ${first.index}: ${why}` : '')
  );
}
