import { setMaxListeners } from 'node:events';
import PQueue from 'p-queue';
import type { KubeEvent } from '../event/model.js';
import { isSinkError, retryableError, type SinkError } from '../sink/contract/errors.js';
import type { Sink } from '../sink/contract/sink.js';
import { sleep } from '../time/sleep.js';
import { splitPartialWrite } from './partial-split.js';
import { decideRetry, GIVE_UP_REASONS, type GiveUpReason } from './retry-policy.js';
import { writeOnce } from './sender-attempt.js';
import type { DeliverySettings } from './settings/table.js';

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
  /** Set when the sink accepted part of the batch (a PartialWriteError): how many events it took. */
  readonly accepted?: number;
  /** Set when another attempt follows after this wait. */
  readonly retryInMs?: number;
  /** Set when the batch is given up after this attempt. */
  readonly giveUp?: GiveUpReason;
}

export interface DeadLetterInfo {
  readonly reason: GiveUpReason;
  readonly attempts: number;
}

/**
 * How a batch ended: `delivered` when every event was; otherwise the reason
 * and error of the last part given up (a partial write may have delivered
 * the rest, and dead-lettered a part before).
 */
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
  /** Events (items) written again by those attempts: a partial write's retry re-sends only its failed ones. */
  readonly retriedEvents: number;
  /** Writes the sink reported partly failed (a PartialWriteError it could use). */
  readonly partialBatches: number;
  /** Events (items) those writes delivered, acknowledged without waiting for the rest. */
  readonly partialAccepted: number;
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
  /**
   * Called with events as they are delivered: a batch, or at once the part a
   * partial write accepted, before the rest is retried. Every event of a
   * batch ends here or in `onDeadLetter`, once.
   */
  readonly onDelivered?: (events: readonly KubeEvent[]) => void;
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
  /**
   * Resolves once the sender holds fewer batches (queued or being written)
   * than its concurrency: the cue to take the next batch. A caller that
   * awaits it before each `send` never queues more than that (backpressure).
   */
  ready(): Promise<void>;
  /** A snapshot. */
  readonly stats: SenderStats;
}

/** Batches a sender holds at most, whatever `request.concurrency` says. */
const MAX_IN_FLIGHT_BATCHES = 64;

/**
 * The delivery engine's sender. A batch is one p-queue task (p-queue holds
 * the concurrency and the rate limit; a batch counts once against it), which
 * runs the retry loop over `decideRetry`, the one retry policy.
 */
export function createSender(options: SenderOptions): Sender {
  const { sink, request, onAttempt, onDeadLetter, onDelivered } = options;
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

  // The delivery engine's one concurrency limit, kept here rather than in
  // the route because only the sender sees a batch from queueing to outcome.
  // A batch holds a slot from `send` to its outcome: while it waits for the
  // rate limit, while it is written and through its retries, so concurrency 1
  // keeps batches in order. p-queue runs at most `slots` batches; `ready`
  // tells the route when fewer are held, and the route takes no batch from
  // the buffer until then, so a slow sink fills the buffer, which pauses the
  // stream ('block') or drops by `whenFull`.
  const slots = Math.min(request.concurrency, MAX_IN_FLIGHT_BATCHES);
  let held = 0;
  const waiting: (() => void)[] = [];
  const queue = new PQueue({
    concurrency: slots,
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
    retriedEvents: 0,
    partialBatches: 0,
    partialAccepted: 0,
    failedBatches: byReason(),
    failedEvents: byReason(),
    lastError: undefined as string | undefined,
    lastSendLatencyMs: undefined as number | undefined,
  };

  const abortedError = (attempts: number, cause: unknown = signal.reason): SinkError =>
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

  function delivered(events: readonly KubeEvent[], sentAt: number): void {
    if (events.length === 0) return;
    counts.sentEvents += events.length;
    counts.lastSendLatencyMs = now() - sentAt;
    onDelivered?.(events);
  }

  /**
   * The retry loop: one attempt, then `decideRetry` says whether and when the
   * next one goes. The batch keeps its queue slot while it waits, so
   * `concurrency: 1` keeps order and a failing sink slows intake. After a
   * partial write only its retryable failures are written again, within the
   * same budget: its accepted events are delivered at once, its permanent
   * failures dead-lettered at once.
   */
  async function deliver(batch: readonly KubeEvent[], sentAt: number): Promise<SendOutcome> {
    const start = now();
    let pending = batch;
    let lastError: SinkError | undefined;
    // A part of the batch dead-lettered by a partial write, while the rest went on.
    let partGivenUp: SendOutcome | undefined;
    for (let attempt = 1; ; attempt++) {
      // Retries get what is left of the budget, at most timeoutMs.
      const left = attempt === 1 ? Infinity : request.retryMaxDurationMs - (now() - start);
      const made = attempt - 1;
      if (signal.aborted) return giveUp(pending, 'aborted', abortedError(made, lastError), made);
      if (left <= 0 && lastError) return giveUp(pending, 'deadline', lastError, made);
      if (attempt > 1) {
        counts.retries++;
        counts.retriedEvents += pending.length;
      }
      const t0 = now();
      const error = await writeOnce(sink, pending, Math.min(request.timeoutMs, left), signal).then(
        () => undefined,
        (err: SinkError) => err, // writeOnce rejects with SinkErrors only
      );
      const report = { attempt, events: pending.length, durationMs: now() - t0 };
      if (error === undefined) {
        if (!partGivenUp) counts.sentBatches++;
        delivered(pending, sentAt);
        onAttempt?.(report);
        return partGivenUp
          ? { ...partGivenUp, attempts: attempt }
          : { delivered: true, attempts: attempt };
      }
      const split = splitPartialWrite(sink.name, pending, error);
      let failure = isSinkError(split) ? split : error;
      const shown = failure; // what the attempt is reported with: the sink's, or why its report was unusable
      let accepted: number | undefined;
      if (split !== undefined && !isSinkError(split)) {
        counts.partialBatches++;
        counts.partialAccepted += split.accepted.length;
        accepted = split.accepted.length;
        delivered(split.accepted, sentAt);
        for (const part of split.permanent) {
          partGivenUp = await giveUp(part.events, 'permanent', part.error, attempt);
        }
        if (!split.retryError) {
          onAttempt?.({ ...report, error: shown, accepted });
          return partGivenUp ?? { delivered: true, attempts: attempt };
        }
        pending = split.retry;
        failure = split.retryError;
      }
      lastError = failure;
      counts.lastError = failure.message;
      const decision =
        failure.retryable && signal.aborted
          ? ({ retry: false, reason: 'aborted' } as const)
          : decideRetry(
              {
                error: failure,
                retriesLeft: request.retryAttempts - made,
                retriesConsumed: made,
                elapsedMs: now() - start,
              },
              policy,
              random,
            );
      const told = { ...report, error: shown, ...(accepted === undefined ? {} : { accepted }) };
      if (!decision.retry) {
        onAttempt?.({ ...told, giveUp: decision.reason });
        const given = decision.reason === 'aborted' ? abortedError(attempt, failure) : failure;
        return giveUp(pending, decision.reason, given, attempt);
      }
      onAttempt?.({ ...told, retryInMs: decision.delayMs });
      const stopped = await sleep(decision.delayMs, { signal }).then(
        () => false,
        () => true,
      );
      if (stopped) return giveUp(pending, 'aborted', abortedError(attempt, failure), attempt);
    }
  }

  function send(batch: readonly KubeEvent[]): Promise<SendOutcome> {
    if (batch.length === 0) return Promise.resolve({ delivered: true, attempts: 0 });
    const sentAt = now();
    held++;
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
    const release = (): void => {
      held--;
      if (held < slots) waiting.shift()?.();
    };
    outcome.then(release, release);
    return outcome;
  }

  function ready(): Promise<void> {
    if (held < slots) return Promise.resolve();
    return new Promise((resolve) => waiting.push(resolve));
  }

  return {
    send,
    ready,
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
