import { setMaxListeners } from 'node:events';
import PQueue from 'p-queue';
import pRetry, { AbortError } from 'p-retry';
import type { KubeEvent } from '../event/model.js';
import { retryableError, type SinkError } from '../sink/errors.js';
import type { Sink } from '../sink/sink.js';
import { decideRetry, GIVE_UP_REASONS, type GiveUpReason } from './retry-policy.js';
import { sleep, writeOnce } from './sender-attempt.js';
import type { DeliverySettings } from './settings-table.js';

export type { GiveUpReason } from './retry-policy.js';
/**
 * The `request` block as `resolveDeliverySettings` returns it: validated
 * there, the one place delivery settings are checked.
 */
export type SenderRequestOptions = DeliverySettings['request'];

/** What `onAttempt` hears after every `sink.write`. */
export interface AttemptInfo {
  /** 1 for the first attempt of a batch. */
  readonly attempt: number;
  readonly events: number;
  readonly durationMs: number;
  /** Undefined when the attempt delivered the batch. */
  readonly error?: SinkError;
  /** Set when another attempt follows after this wait. */
  readonly retryInMs?: number;
  /** Set when the batch is given up after this attempt. */
  readonly giveUp?: GiveUpReason;
}

export interface DeadLetterInfo {
  readonly reason: GiveUpReason;
  readonly attempts: number;
}

export type SendOutcome =
  | { readonly delivered: true; readonly attempts: number }
  | {
      readonly delivered: false;
      readonly attempts: number;
      readonly reason: GiveUpReason;
      readonly error: SinkError;
    };

export interface SenderStats {
  readonly sentBatches: number;
  readonly sentEvents: number;
  /** Attempts after the first, over all batches. */
  readonly retries: number;
  /** Dead-lettered batches and events by reason. */
  readonly failedBatches: Readonly<Record<GiveUpReason, number>>;
  readonly failedEvents: Readonly<Record<GiveUpReason, number>>;
  /** The last failed attempt's SinkError message (redacted, like every SinkError). */
  readonly lastError: string | undefined;
  /** From `send` to delivery (queueing and retries included) of the last delivered batch. */
  readonly lastSendLatencyMs: number | undefined;
}

export interface SenderOptions {
  readonly sink: Sink;
  readonly request: SenderRequestOptions;
  /** Awaited with every batch given up, before `send` resolves; if it throws, `send` rejects. */
  readonly onDeadLetter?: (
    events: readonly KubeEvent[],
    error: SinkError,
    info: DeadLetterInfo,
  ) => void | Promise<void>;
  /** Called after every attempt; an observer that throws makes `send` reject. */
  readonly onAttempt?: (info: AttemptInfo) => void;
  /** Stops the sender: queued batches and retries are given up with reason `aborted`. */
  readonly signal?: AbortSignal;
  /** Monotonic clock in ms. @default performance.now */
  readonly now?: () => number;
  /** Jitter source in [0, 1). @default Math.random */
  readonly random?: () => number;
}

export interface Sender {
  /**
   * Delivers one batch: queued (concurrency, rate limit), written, retried.
   * Resolves with the outcome; never rejects but for the caller's own bugs.
   */
  send(batch: readonly KubeEvent[]): Promise<SendOutcome>;
  /** Resolves once every `send` so far has settled. */
  idle(): Promise<void>;
  /** Sends not settled yet: queued, in flight or waiting to retry. */
  readonly pending: number;
  /** A snapshot. */
  readonly stats: SenderStats;
}

/**
 * The delivery engine's one retry loop. A batch is one p-queue task that holds
 * its concurrency slot while it retries (so `concurrency: 1` keeps order and a
 * failing sink slows intake), and counts once against the rate limit.
 * Attempts run through p-retry; the wait between them is `decideRetry`'s.
 */
export function createSender(options: SenderOptions): Sender {
  const { sink, request, onAttempt, onDeadLetter } = options;
  const now = options.now ?? (() => performance.now());
  const random = options.random ?? Math.random;
  // Every queued batch listens for the stop, so our own signal, linked to
  // the caller's with one listener, lifts Node's 10-listener warning.
  const stopper = new AbortController();
  setMaxListeners(0, stopper.signal);
  const outer = options.signal;
  if (outer?.aborted) stopper.abort(outer.reason);
  else outer?.addEventListener('abort', () => stopper.abort(outer.reason), { once: true });
  const signal = stopper.signal;

  const queue = new PQueue({
    concurrency: request.concurrency,
    // Sliding window: no burst of twice the limit around a window edge.
    ...(Number.isFinite(request.rateLimitNum)
      ? { intervalCap: request.rateLimitNum, interval: request.rateLimitDurationMs, strict: true }
      : {}),
  });
  const policy = {
    initialBackoffMs: request.retryInitialBackoffMs,
    maxDurationMs: request.retryMaxDurationMs,
  };
  const counts = {
    sentBatches: 0,
    sentEvents: 0,
    retries: 0,
    failedBatches: byReason(),
    failedEvents: byReason(),
    lastError: undefined as string | undefined,
    lastSendLatencyMs: undefined as number | undefined,
  };
  const unsettled = new Set<Promise<SendOutcome>>();

  const abortedError = (attempts: number, cause: unknown): SinkError =>
    retryableError(sink.name, `aborted after ${attempts} attempt(s): the sender was stopped`, {
      cause,
    });

  async function giveUp(
    batch: readonly KubeEvent[],
    reason: GiveUpReason,
    error: SinkError,
    attempts: number,
  ): Promise<SendOutcome> {
    counts.failedBatches[reason]++;
    counts.failedEvents[reason] += batch.length;
    counts.lastError = error.message;
    await onDeadLetter?.(batch, error, { reason, attempts });
    return { delivered: false, attempts, reason, error };
  }

  async function deliver(batch: readonly KubeEvent[], sentAt: number): Promise<SendOutcome> {
    const start = now();
    let attempts = 0;
    let delivered = false;
    let lastError: SinkError | undefined;
    let lastMs = 0;
    let reason: GiveUpReason | undefined;

    const attempt = async (n: number): Promise<void> => {
      // Retries get what is left of the budget, at most timeoutMs.
      const left =
        n === 1 ? Number.POSITIVE_INFINITY : request.retryMaxDurationMs - (now() - start);
      if (left <= 0 && lastError) {
        reason = 'deadline';
        throw new AbortError(lastError);
      }
      attempts = n;
      if (n > 1) counts.retries++;
      const t0 = now();
      try {
        await writeOnce(sink, batch, Math.min(request.timeoutMs, left), signal);
        delivered = true;
      } catch (err) {
        lastError = err as SinkError; // writeOnce rejects with SinkErrors only
        counts.lastError = lastError.message;
        if (!lastError.retryable) {
          reason = 'permanent';
          throw new AbortError(lastError); // p-retry: stop, reject with lastError
        }
        throw lastError;
      } finally {
        lastMs = now() - t0;
      }
    };

    try {
      await pRetry(attempt, {
        retries: request.retryAttempts,
        minTimeout: 0, // the wait is decideRetry's, slept in onFailedAttempt
        signal,
        onFailedAttempt: async ({ error: failed, attemptNumber, retriesLeft, retriesConsumed }) => {
          // Not a write's failure: p-retry found the signal aborted before an attempt.
          if (failed !== lastError) throw failed;
          const error = lastError;
          const report = {
            attempt: attemptNumber,
            events: batch.length,
            durationMs: lastMs,
            error,
          };
          if (signal.aborted) {
            reason = 'aborted';
            onAttempt?.({ ...report, giveUp: reason });
            throw error;
          }
          const elapsedMs = now() - start;
          const decision = decideRetry(
            { error, retriesLeft, retriesConsumed, elapsedMs },
            policy,
            random,
          );
          if (!decision.retry) {
            reason = decision.reason;
            onAttempt?.({ ...report, giveUp: reason });
            throw error; // p-retry rejects with what onFailedAttempt throws
          }
          onAttempt?.({ ...report, retryInMs: decision.delayMs });
          await sleep(decision.delayMs, signal);
        },
      });
    } catch (err) {
      // p-retry checks the signal after a successful attempt too; delivered is delivered.
      if (!delivered) {
        const aborted = signal.aborted;
        if (err !== lastError && !aborted) throw err; // a caller's bug, e.g. onAttempt threw
        const why = reason ?? (aborted ? 'aborted' : 'retries_exhausted');
        if (why === 'permanent') {
          onAttempt?.({
            attempt: attempts,
            events: batch.length,
            durationMs: lastMs,
            giveUp: why,
            error: lastError as SinkError,
          });
        }
        const error =
          why === 'aborted' || !lastError
            ? abortedError(attempts, lastError ?? signal.reason)
            : lastError;
        return giveUp(batch, why, error, attempts);
      }
    }
    counts.sentBatches++;
    counts.sentEvents += batch.length;
    counts.lastSendLatencyMs = now() - sentAt;
    onAttempt?.({ attempt: attempts, events: batch.length, durationMs: lastMs });
    return { delivered: true, attempts };
  }

  function send(batch: readonly KubeEvent[]): Promise<SendOutcome> {
    if (batch.length === 0) return Promise.resolve({ delivered: true, attempts: 0 });
    const sentAt = now();
    const outcome = new Promise<SendOutcome>((resolve, reject) => {
      let started = false;
      // The task never rejects; add() rejects only when the signal aborts,
      // and that matters only while the batch is still queued.
      queue
        .add(
          async () => {
            started = true;
            await deliver(batch, sentAt).then(resolve, reject);
          },
          { signal },
        )
        .catch((reason: unknown) => {
          if (!started) giveUp(batch, 'aborted', abortedError(0, reason), 0).then(resolve, reject);
        });
    });
    unsettled.add(outcome);
    const forget = (): void => {
      unsettled.delete(outcome);
    };
    outcome.then(forget, forget);
    return outcome;
  }

  return {
    send,
    async idle() {
      while (unsettled.size > 0) await Promise.allSettled([...unsettled]);
    },
    get pending() {
      return unsettled.size;
    },
    get stats(): SenderStats {
      return {
        ...counts,
        failedBatches: { ...counts.failedBatches },
        failedEvents: { ...counts.failedEvents },
      };
    },
  };
}

function byReason(): Record<GiveUpReason, number> {
  return Object.fromEntries(GIVE_UP_REASONS.map((r) => [r, 0])) as Record<GiveUpReason, number>;
}
