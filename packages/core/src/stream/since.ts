import { parseDurationMs } from '../time/duration.js';

/** Where a stream starts when there is no checkpoint to resume from. */
export type Since = 'now' | 'all' | Date | number | string;

/**
 * The start point as epoch ms of the oldest occurrence to emit:
 * Infinity for 'now' (nothing stored), -Infinity for 'all'.
 */
export function sinceToCutoffMs(since: Since, now = Date.now()): number {
  if (since === 'now') return Number.POSITIVE_INFINITY;
  if (since === 'all') return Number.NEGATIVE_INFINITY;
  if (since instanceof Date) {
    const ms = since.getTime();
    if (Number.isNaN(ms)) throw new Error(`invalid since: an invalid Date`);
    return ms;
  }
  try {
    return now - parseDurationMs(since);
  } catch {
    throw new Error(
      `invalid since '${String(since)}': expected 'now', 'all', a Date or a duration such as '15m'`,
    );
  }
}

/** A cutoff as a checkpoint stores it (JSON has no Infinity): 'now', 'all' or an ISO time. */
export function cutoffToText(cutoffMs: number): string {
  if (cutoffMs === Number.POSITIVE_INFINITY) return 'now';
  if (cutoffMs === Number.NEGATIVE_INFINITY) return 'all';
  return new Date(cutoffMs).toISOString();
}

/** The cutoff of {@link cutoffToText}'s text; undefined for anything else. */
export function cutoffFromText(text: unknown): number | undefined {
  if (text === 'now') return Number.POSITIVE_INFINITY;
  if (text === 'all') return Number.NEGATIVE_INFINITY;
  const ms = typeof text === 'string' ? Date.parse(text) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}
