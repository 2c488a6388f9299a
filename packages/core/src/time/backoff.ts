export interface BackoffOptions {
  /** First delay. @default 500 */
  initialMs?: number;
  /** Upper bound of one delay. @default 30000 */
  maxMs?: number;
}

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random,
 * so reconnecting clients spread out but never retry immediately.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random = Math.random,
): number {
  const { initialMs = 500, maxMs = 30_000 } = options;
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
