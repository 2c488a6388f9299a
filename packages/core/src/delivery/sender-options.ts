import type { DeliveryDefaults } from '../sink/delivery.js';

/**
 * The resolved `request` block (every field given; merging user options,
 * URI, env and the sink's profile happens before). Times in milliseconds.
 * - `concurrency`: batches in flight at once (Infinity for no limit).
 * - `timeoutMs`: one attempt's limit (Infinity for none).
 * - `rateLimitNum` per `rateLimitDurationMs`: batches started in any rolling
 *   window; retries of a started batch do not count (Infinity for no limit).
 * - `retryAttempts`: retries after the first attempt (0 for none, Infinity).
 * - `retryInitialBackoffMs`: ceiling of the first backoff, doubling per retry.
 * - `retryMaxDurationMs`: time budget for retrying, from the first attempt.
 */
export type SenderRequestOptions = Required<NonNullable<DeliveryDefaults['request']>>;

type Rule = (value: number) => boolean;

const isCount: Rule = (v) => v === Number.POSITIVE_INFINITY || (Number.isInteger(v) && v >= 1);
const isRetries: Rule = (v) => v === Number.POSITIVE_INFINITY || (Number.isInteger(v) && v >= 0);
const isDuration: Rule = (v) => v === Number.POSITIVE_INFINITY || (Number.isFinite(v) && v > 0);
const isDelay: Rule = (v) => Number.isFinite(v) && v >= 0;

const RULES: ReadonlyArray<readonly [keyof SenderRequestOptions, Rule, string]> = [
  ['concurrency', isCount, 'an integer >= 1 or Infinity'],
  ['timeoutMs', isDuration, 'a number > 0 or Infinity'],
  ['rateLimitNum', isCount, 'an integer >= 1 or Infinity'],
  ['retryAttempts', isRetries, 'an integer >= 0 or Infinity'],
  ['retryInitialBackoffMs', isDelay, 'a finite number >= 0'],
  ['retryMaxDurationMs', isDuration, 'a number > 0 or Infinity'],
];

/** Every problem with `request`, for one SinkConfigError. */
export function requestProblems(request: SenderRequestOptions): string[] {
  const problems: string[] = [];
  for (const [name, ok, expected] of RULES) {
    const value: unknown = request[name];
    if (typeof value !== 'number' || !ok(value)) {
      problems.push(`request.${name} must be ${expected}, got ${String(value)}`);
    }
  }
  const { rateLimitNum, rateLimitDurationMs } = request;
  if (
    Number.isFinite(rateLimitNum) &&
    !(Number.isFinite(rateLimitDurationMs) && rateLimitDurationMs > 0)
  ) {
    problems.push(
      `request.rateLimitDurationMs must be a finite number > 0 with a rateLimitNum, got ${String(rateLimitDurationMs)}`,
    );
  }
  return problems;
}
