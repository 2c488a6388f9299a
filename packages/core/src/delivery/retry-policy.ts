import type { SinkError } from '../sink/contract/errors.js';
import { backoffDelay } from '../time/backoff.js';

/** The longest backoff between two attempts; a server's Retry-After may ask for more. */
export const MAX_BACKOFF_MS = 30_000;

/** Why a batch was given up (a bounded label set for stats and metrics). */
export type GiveUpReason = 'permanent' | 'retries_exhausted' | 'deadline' | 'aborted';

export const GIVE_UP_REASONS: readonly GiveUpReason[] = [
  'permanent',
  'retries_exhausted',
  'deadline',
  'aborted',
];

export interface RetryPolicy {
  /** Ceiling of the first backoff; it doubles per retry, up to MAX_BACKOFF_MS. */
  readonly initialBackoffMs: number;
  /** Retrying stops when the next wait would end at or past this, from the first attempt. */
  readonly maxDurationMs: number;
}

export interface FailedAttempt {
  readonly error: SinkError;
  /** Retries still allowed by `retryAttempts` (Infinity for no limit). */
  readonly retriesLeft: number;
  /** Retries made so far: 0 after the first attempt failed. */
  readonly retriesConsumed: number;
  /** Time since the first attempt started. */
  readonly elapsedMs: number;
}

export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number }
  | { readonly retry: false; readonly reason: Exclude<GiveUpReason, 'aborted'> };

/**
 * The whole retry policy: permanent errors are not retried; otherwise wait an
 * exponential backoff with equal jitter (half fixed, half random: spread out,
 * never at once) or the server's Retry-After, whichever is longer, unless the
 * retries or the time budget are used up.
 */
export function decideRetry(
  failure: FailedAttempt,
  policy: RetryPolicy,
  random: () => number = Math.random,
): RetryDecision {
  if (!failure.error.retryable) return { retry: false, reason: 'permanent' };
  if (failure.retriesLeft <= 0) return { retry: false, reason: 'retries_exhausted' };
  const backoff = backoffMs(failure.retriesConsumed, policy.initialBackoffMs, random);
  const retryAfter = failure.error.retryAfterMs;
  const serverMs = retryAfter !== undefined && Number.isFinite(retryAfter) ? retryAfter : 0;
  const delayMs = Math.max(backoff, serverMs);
  if (failure.elapsedMs + delayMs >= policy.maxDurationMs) {
    return { retry: false, reason: 'deadline' };
  }
  return { retry: true, delayMs };
}

/**
 * Between half and all of `initialMs * 2^retry`, capped at MAX_BACKOFF_MS (or
 * at initialMs when that is larger). The same formula as the watch reconnects.
 */
export function backoffMs(retry: number, initialMs: number, random: () => number): number {
  const maxMs = Math.max(MAX_BACKOFF_MS, initialMs);
  return backoffDelay(retry, { initialMs, maxMs }, random);
}
