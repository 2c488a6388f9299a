import type { Logger } from '../logger.js';
import type { SinkError } from '../sink/contract/errors.js';
import { redactText } from '../sink/secrets/redact.js';
import type { DropReason } from './buffer.js';
import { BurstReport } from './burst-report.js';
import type { CallbackName } from './route-metrics.js';
import type { AttemptInfo, DeadLetterInfo } from './sender.js';
import type { DeliverySettings } from './settings/table.js';

/** Drops and callback errors are reported at most this often, with the counts since the last report. */
const REPORT_INTERVAL_MS = 10_000;

/** What the route did with the event (or batch) when a callback threw; see docs/delivery.md. */
const AFTER_THROW: Readonly<Record<Exclude<CallbackName, 'logger'>, string>> = {
  filter: 'the route filter threw: the event was passed on as if it matched',
  sinkFilter: "the sink's filter threw: the event was passed on as if it matched",
  dedup: 'the dedup threw: the event was passed on as new',
  aggregateKey: 'aggregateKey threw: the event was grouped by aggregate.by instead',
  onDeadLetter: 'onDeadLetter threw: the batch stays dead-lettered (counted and logged)',
};

/**
 * What a route tells the logger. Every line carries `route` and `sink`; error
 * messages are SinkErrors', already redacted; event contents are never logged.
 */
export class RouteLog {
  readonly #logger: Logger;
  readonly #labels: { route: string; sink: string };
  // A flood drops thousands of events a second: one line per interval, not
  // per event, and each line counts every drop since the one before.
  readonly #drops: BurstReport<DropReason>;
  #droppedTotal = 0;
  // A filter that throws does so for every event: the same bound.
  readonly #callbackErrors: BurstReport<CallbackName>;
  readonly #lastCallbackError = new Map<CallbackName, string>();

  /** `logger` must not throw (the route passes it through guardLogger). */
  constructor(
    logger: Logger,
    labels: { route: string; sink: string },
    reportIntervalMs = REPORT_INTERVAL_MS,
  ) {
    this.#logger = logger;
    this.#labels = labels;
    this.#drops = new BurstReport(reportIntervalMs, (droppedBy, dropped) => {
      this.#droppedTotal += dropped;
      this.#logger.warn(
        { ...this.#labels, dropped, droppedBy, droppedTotal: this.#droppedTotal },
        'buffer full: events dropped',
      );
    });
    this.#callbackErrors = new BurstReport(reportIntervalMs, (byCallback) => {
      for (const [callback, errors] of Object.entries(byCallback) as [CallbackName, number][]) {
        if (callback === 'logger') continue;
        const error = this.#lastCallbackError.get(callback);
        this.#logger.error({ ...this.#labels, callback, errors, error }, AFTER_THROW[callback]);
      }
    });
  }

  started(settings: DeliverySettings): void {
    this.#logger.debug({ ...this.#labels, settings }, 'route started');
  }

  retrying(attempt: AttemptInfo): void {
    this.#logger.warn(
      {
        ...this.#labels,
        attempt: attempt.attempt,
        events: attempt.events,
        // A partial write: the sink took these, the failed rest is retried alone.
        ...(attempt.accepted === undefined ? {} : { accepted: attempt.accepted }),
        retryInMs: attempt.retryInMs,
        error: attempt.error?.message,
      },
      'delivery failed, retrying',
    );
  }

  recovered(failedForMs: number): void {
    this.#logger.info({ ...this.#labels, failedForMs }, 'delivering again');
  }

  gaveUp(events: number, error: SinkError, info: DeadLetterInfo): void {
    this.#logger.error(
      {
        ...this.#labels,
        events,
        reason: info.reason,
        attempts: info.attempts,
        error: error.message,
      },
      'delivery given up: events dead-lettered',
    );
  }

  closeFailed(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.#logger.error({ ...this.#labels, error: redactText(message) }, 'closing the sink failed');
  }

  dropped(events: number, reason: DropReason): void {
    this.#drops.add(reason, events);
  }

  /** A user callback threw; the logger's own throws are only counted (logging them would recurse). */
  callbackFailed(callback: CallbackName, error: unknown): void {
    if (callback === 'logger') return;
    const message = error instanceof Error ? error.message : String(error);
    this.#lastCallbackError.set(callback, redactText(message.slice(0, 500)));
    this.#callbackErrors.add(callback);
  }

  /** Reports what the rate limit still holds back: the route is stopping. */
  flush(): void {
    this.#drops.flush();
    this.#callbackErrors.flush();
  }
}
