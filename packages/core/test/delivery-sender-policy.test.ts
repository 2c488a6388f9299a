import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  decideRetry,
  type FailedAttempt,
  MAX_BACKOFF_MS,
} from '../src/delivery/retry-policy.js';
import { permanentError, retryableError } from '../src/sink/contract/errors.js';

const policy = { initialBackoffMs: 100, maxDurationMs: 10_000 };
const failure = (over: Partial<FailedAttempt> = {}): FailedAttempt => ({
  error: retryableError('t', 'HTTP 503'),
  retriesLeft: 5,
  retriesConsumed: 0,
  elapsedMs: 0,
  ...over,
});
const mid = () => 0.5;

describe('decideRetry', () => {
  it('doubles the backoff ceiling per retry, with half of it random', () => {
    const top = () => 0.999_999;
    expect([0, 1, 2, 3].map((r) => backoffMs(r, 100, top))).toEqual([100, 200, 400, 800]);
    expect([0, 1, 2, 3].map((r) => backoffMs(r, 100, () => 0))).toEqual([50, 100, 200, 400]);
    expect(backoffMs(1, 100, mid)).toBe(150);
  });

  it('caps a backoff at MAX_BACKOFF_MS, or at a larger initial backoff', () => {
    expect(backoffMs(40, 100, () => 0.999_999)).toBe(MAX_BACKOFF_MS);
    expect(backoffMs(3, 60_000, () => 0.999_999)).toBe(60_000);
    expect(backoffMs(0, 0, mid)).toBe(0);
  });

  it('retries a retryable error after the backoff', () => {
    expect(decideRetry(failure({ retriesConsumed: 2 }), policy, mid)).toEqual({
      retry: true,
      delayMs: 300,
    });
  });

  it("waits the server's Retry-After when it is longer, the backoff when that is", () => {
    const slow = retryableError('t', 'HTTP 429', { statusCode: 429, retryAfterMs: 1500 });
    expect(decideRetry(failure({ error: slow }), policy, mid)).toEqual({
      retry: true,
      delayMs: 1500,
    });
    const fast = retryableError('t', 'HTTP 429', { retryAfterMs: 10 });
    expect(decideRetry(failure({ error: fast }), policy, mid)).toEqual({
      retry: true,
      delayMs: 75,
    });
  });

  it('never retries a permanent error', () => {
    const error = permanentError('t', 'HTTP 400', { statusCode: 400 });
    expect(decideRetry(failure({ error }), policy, mid)).toEqual({
      retry: false,
      reason: 'permanent',
    });
  });

  it('stops when the retries are used up', () => {
    expect(decideRetry(failure({ retriesLeft: 0 }), policy, mid)).toEqual({
      retry: false,
      reason: 'retries_exhausted',
    });
    expect(decideRetry(failure({ retriesLeft: Infinity }), policy, mid).retry).toBe(true);
  });

  it('stops when the next wait would reach the time budget', () => {
    // The wait would be 75 ms: it must end before 10 000.
    expect(decideRetry(failure({ elapsedMs: 9924 }), policy, mid).retry).toBe(true);
    expect(decideRetry(failure({ elapsedMs: 9925 }), policy, mid)).toEqual({
      retry: false,
      reason: 'deadline',
    });
    // The server's word is bounded by the budget too.
    const error = retryableError('t', 'HTTP 429', { retryAfterMs: 60_000 });
    expect(decideRetry(failure({ error }), policy, mid)).toEqual({
      retry: false,
      reason: 'deadline',
    });
  });
});
