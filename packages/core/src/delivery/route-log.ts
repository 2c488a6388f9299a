import type { Logger } from '../logger.js';
import type { SinkError } from '../sink/errors.js';
import { redactText } from '../sink/redact.js';
import type { DropReason } from './buffer.js';
import type { AttemptInfo, DeadLetterInfo } from './sender.js';
import type { DeliverySettings } from './settings-table.js';

/** Drops are reported at most this often, with the count since the last report. */
const DROP_REPORT_INTERVAL_MS = 10_000;

/**
 * What a route tells the logger. Every line carries `route` and `sink`; error
 * messages are SinkErrors', already redacted; event contents are never logged.
 */
export class RouteLog {
  readonly #logger: Logger;
  readonly #labels: { route: string; sink: string };
  #droppedSinceReport = 0;
  #lastDropReport = Number.NEGATIVE_INFINITY;

  constructor(logger: Logger, labels: { route: string; sink: string }) {
    this.#logger = logger;
    this.#labels = labels;
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

  // A flood drops thousands of events a second: one line per interval, not per event.
  dropped(events: number, reason: DropReason, now = Date.now()): void {
    this.#droppedSinceReport += events;
    if (now - this.#lastDropReport < DROP_REPORT_INTERVAL_MS) return;
    this.#logger.warn(
      { ...this.#labels, dropped: this.#droppedSinceReport, reason },
      'buffer full: events dropped',
    );
    this.#droppedSinceReport = 0;
    this.#lastDropReport = now;
  }
}
