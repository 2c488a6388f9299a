import { Aggregator } from '../aggregate/aggregator.js';
import { aggregateKey } from '../aggregate/keys.js';
import type { Dedup } from '../dedup/index.js';
import { eventTime } from '../event/format.js';
import type { KubeEvent } from '../event/model.js';
import { parseTimeMs } from '../event/time.js';
import type { EventFilter } from '../filter/index.js';
import { guardLogger, type Logger, silentLogger } from '../logger.js';
import type { SinkError } from '../sink/contract/errors.js';
import type { Sink } from '../sink/contract/sink.js';
import { type Batcher, createBatcher } from './batcher.js';
import { EventBuffer } from './buffer.js';
import { Histogram } from './histogram.js';
import { RouteLog } from './route-log.js';
import {
  CALLBACK_NAMES,
  type CallbackName,
  type FailureReason,
  type RouteMetrics,
} from './route-metrics.js';
import { type AttemptInfo, createSender, type DeadLetterInfo, type Sender } from './sender.js';
import { resolveDeliverySettings } from './settings/resolve.js';
import type { DeliveryInput, DeliverySettings } from './settings/table.js';

/** One destination of a forwarder: which events, how to deliver them, and where. */
export interface RouteOptions {
  /** Names the route in stats, metrics and logs. @default the sink's name */
  readonly name?: string;
  readonly sink: Sink;
  /** Applied with the sink's own filter (its kube-eventer `level`, `namespaces`...). */
  readonly filter?: EventFilter;
  readonly dedup?: Dedup;
  /**
   * Delivery settings in code; they win over the sink's, which come with the
   * sink (`sink.delivery`: its URI's keys, then its definition's defaults).
   */
  readonly delivery?: DeliveryInput;
  /** The aggregation key, instead of `aggregate.by`. */
  readonly aggregateKey?: (event: KubeEvent) => string;
  /**
   * Receives every batch given up (permanent error, retries or budget spent),
   * with the last error. If it throws or rejects, that is counted
   * (`callbackErrors.onDeadLetter`) and logged, and delivery goes on.
   */
  readonly onDeadLetter?: (
    events: readonly KubeEvent[],
    error: SinkError,
    info: DeadLetterInfo,
  ) => void | Promise<void>;
}

/** Occurrences counted by what happened to them (a digest counts as its occurrences). */
export interface RouteStats {
  received: number;
  filtered: number;
  deduplicated: number;
  /** Folded into a digest by the aggregation window. */
  aggregated: number;
  dropped: number;
  sent: number;
  deadLettered: number;
}

/** A filter of the route, and the name its throws are counted under. */
interface NamedFilter {
  readonly callback: 'filter' | 'sinkFilter';
  readonly accepts: EventFilter;
}

/**
 * One route at run time: filter, dedup and aggregation, a bounded buffer, a
 * batcher and a retrying sender. `handled(event)` is called once per event
 * when the route is done with it (filtered, deduplicated, dropped, delivered
 * or dead-lettered, itself or in a digest); events still in flight when the
 * route is stopped are not reported, so a checkpoint never moves past them.
 * User code it calls (filters, dedup, aggregateKey, onDeadLetter, the logger)
 * is guarded: a throw is counted and logged, and the route keeps delivering.
 */
export class Route {
  readonly name: string;
  readonly settings: DeliverySettings;
  readonly stats: RouteStats = {
    received: 0,
    filtered: 0,
    deduplicated: 0,
    aggregated: 0,
    dropped: 0,
    sent: 0,
    deadLettered: 0,
  };
  readonly #options: RouteOptions;
  readonly #filters: readonly NamedFilter[];
  readonly #buffer: EventBuffer<KubeEvent>;
  readonly #aggregator: Aggregator | undefined;
  readonly #batcher: Batcher<KubeEvent>;
  readonly #sender: Sender;
  readonly #handled: (event: KubeEvent) => void;
  readonly #log: RouteLog;
  readonly #sendDuration = new Histogram();
  readonly #lag = new Histogram();
  readonly #failedBy: Record<FailureReason, number> = {
    permanent: 0,
    retries_exhausted: 0,
    deadline: 0,
  };
  readonly #callbackErrors = Object.fromEntries(CALLBACK_NAMES.map((name) => [name, 0])) as Record<
    CallbackName,
    number
  >;
  #inFlight = 0;
  #worker: Promise<void> | undefined;
  /** When the sink's current run of failed attempts began; undefined while it delivers. */
  #failingSince: number | undefined;

  constructor(
    options: RouteOptions,
    handled: (event: KubeEvent) => void,
    signal: AbortSignal,
    logger: Logger = silentLogger,
  ) {
    this.#options = options;
    this.#handled = handled;
    const { sink } = options;
    this.name = options.name ?? sink.name;
    const filters: NamedFilter[] = [];
    if (options.filter) filters.push({ callback: 'filter', accepts: options.filter });
    if (sink.filter) filters.push({ callback: 'sinkFilter', accepts: sink.filter });
    this.#filters = filters;
    const uri = sink.delivery?.uri;
    const sinkDefaults = sink.delivery?.defaults;
    this.settings = resolveDeliverySettings({
      sink: sink.name,
      ...(options.delivery ? { explicit: options.delivery } : {}),
      ...(uri ? { uri } : {}),
      ...(sinkDefaults ? { sinkDefaults } : {}),
    });
    const { batch, buffer, request, aggregate } = this.settings;
    const guarded = guardLogger(logger, (error) => this.#callbackFailed('logger', error));
    this.#log = new RouteLog(guarded, { route: this.name, sink: sink.name });
    this.#buffer = new EventBuffer<KubeEvent>({
      maxEvents: buffer.maxEvents,
      whenFull: buffer.whenFull,
      onDrop: (event, reason) => {
        const events = this.#release(event); // counted and given up by policy: nothing to replay
        this.stats.dropped += events;
        this.#log.dropped(events, reason);
      },
    });
    this.#aggregator =
      aggregate.windowMs > 0
        ? new Aggregator({
            ...aggregate,
            ...(options.aggregateKey ? { key: this.#guardKey(options.aggregateKey) } : {}),
            emit: (event, signal) => this.#buffer.push(event, signal ? { signal } : {}),
          })
        : undefined;
    this.#batcher = createBatcher({
      buffer: this.#buffer,
      maxEvents: batch.maxEvents,
      maxBytes: batch.maxBytes,
      timeoutMs: batch.timeoutMs,
    });
    this.#sender = createSender({
      sink,
      request,
      signal,
      onDelivered: (events) => this.#delivered(events),
      onDeadLetter: (events, error, info) => this.#deadLetter(events, error, info),
      onAttempt: (attempt) => this.#attempted(attempt),
    });
    this.#log.started(this.settings);
  }

  /** How long every attempt to the sink has failed, 0 while it delivers. */
  failingForMs(now = Date.now()): number {
    return this.#failingSince === undefined ? 0 : now - this.#failingSince;
  }

  get queued(): number {
    return this.#buffer.size;
  }

  /** Counters, gauges and histograms for metrics; labels are the route and sink names only. */
  metrics(): RouteMetrics {
    const buffer = this.#buffer.stats;
    const sender = this.#sender.stats;
    return {
      route: this.name,
      sink: this.#options.sink.name,
      ...this.stats,
      digests: this.#aggregator?.stats.digests ?? 0,
      enqueued: buffer.pushed,
      retries: sender.retries,
      retriedEvents: sender.retriedEvents,
      partialBatches: sender.partialBatches,
      partialAccepted: sender.partialAccepted,
      droppedBy: {
        dropOldest: buffer.dropped.buffer_full_drop_oldest,
        dropNewest: buffer.dropped.buffer_full_drop_newest,
      },
      failedBy: { ...this.#failedBy },
      callbackErrors: { ...this.#callbackErrors },
      queueDepth: this.#buffer.size,
      held: this.#aggregator?.held ?? 0,
      inFlight: this.#inFlight,
      failingForMs: this.failingForMs(),
      sendDuration: this.#sendDuration.snapshot(),
      lag: this.#lag.snapshot(),
    };
  }

  /** Takes an event; a promise means the buffer is full and the caller must wait (backpressure). */
  offer(event: KubeEvent, signal: AbortSignal): Promise<void> | undefined {
    this.stats.received++;
    for (const filter of this.#filters) {
      if (this.#passes(filter, event)) continue;
      this.stats.filtered++;
      this.#handled(event);
      return undefined;
    }
    if (!this.#isNew(event)) {
      this.stats.deduplicated++;
      this.#handled(event);
      return undefined;
    }
    if (this.#aggregator) {
      const before = this.#aggregator.stats.aggregated;
      const full = this.#aggregator.offer(event, signal);
      this.stats.aggregated += this.#aggregator.stats.aggregated - before;
      return full;
    }
    return this.#buffer.push(event, { signal });
  }

  start(): void {
    this.#worker ??= this.#work();
  }

  /** Stops taking events, sends what is held and buffered, and waits for it (the caller bounds the wait). */
  async drain(): Promise<void> {
    await this.#aggregator?.flush();
    this.#buffer.close();
    await this.#worker;
    this.#log.flush();
  }

  /** Closes the sink (after the drain); a failure is logged, not thrown. */
  async close(): Promise<void> {
    try {
      await this.#options.sink.close?.();
    } catch (error) {
      this.#log.closeFailed(error);
    }
    this.#log.flush();
  }

  // A throwing filter or dedup passes the event on: an unwanted notification
  // can be seen and fixed, a silently lost one cannot (docs/delivery.md).
  #passes(filter: NamedFilter, event: KubeEvent): boolean {
    try {
      return filter.accepts(event);
    } catch (error) {
      this.#callbackFailed(filter.callback, error);
      return true;
    }
  }

  #isNew(event: KubeEvent): boolean {
    const { dedup } = this.#options;
    if (!dedup) return true;
    try {
      return dedup.accept(event);
    } catch (error) {
      this.#callbackFailed('dedup', error);
      return true;
    }
  }

  #guardKey(key: (event: KubeEvent) => string): (event: KubeEvent) => string {
    const { by } = this.settings.aggregate;
    return (event) => {
      try {
        return key(event);
      } catch (error) {
        this.#callbackFailed('aggregateKey', error);
        return aggregateKey(event, by);
      }
    };
  }

  #callbackFailed(callback: CallbackName, error: unknown): void {
    this.#callbackErrors[callback]++;
    this.#log.callbackFailed(callback, error);
  }

  async #work(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    for (;;) {
      // The sender's concurrency is the one limit: no batch is taken from the
      // buffer before the sender has room for it (backpressure).
      await this.#sender.ready();
      const batch = await this.#batcher.next();
      if (!batch) break;
      this.#inFlight += batch.length;
      // Each event leaves through #delivered or #deadLetter, as soon as the
      // sender knows (a partial write's accepted part before its retries).
      const sending: Promise<void> = this.#sender.send(batch).then(() => undefined);
      inFlight.add(sending);
      void sending.finally(() => inFlight.delete(sending));
    }
    await Promise.all(inFlight);
  }

  #delivered(batch: readonly KubeEvent[]): void {
    this.#inFlight -= batch.length;
    const now = Date.now();
    for (const event of batch) {
      const latest = this.#aggregator?.membersOf(event)?.at(-1) ?? event;
      this.#lag.observe(now - parseTimeMs(eventTime(latest)));
      this.stats.sent += this.#release(event);
    }
  }

  /** Reports an event, or a digest's occurrences, as handled; returns how many. */
  #release(event: KubeEvent): number {
    const members = this.#aggregator?.membersOf(event);
    if (!members) {
      this.#handled(event);
      return 1;
    }
    for (const member of members) this.#handled(member);
    return members.length;
  }

  #attempted(attempt: AttemptInfo): void {
    this.#sendDuration.observe(attempt.durationMs);
    // A write the sink partly accepted is no outage: the sink delivers.
    if (!attempt.error || attempt.accepted) {
      if (this.#failingSince !== undefined) this.#log.recovered(Date.now() - this.#failingSince);
      this.#failingSince = undefined;
      if (attempt.retryInMs !== undefined) this.#log.retrying(attempt);
      return;
    }
    this.#failingSince ??= Date.now();
    if (attempt.retryInMs !== undefined) this.#log.retrying(attempt);
  }

  async #deadLetter(
    events: readonly KubeEvent[],
    error: SinkError,
    info: DeadLetterInfo,
  ): Promise<void> {
    this.#inFlight -= events.length;
    // Aborted events stay unreported: the checkpoint keeps them for a replay after a restart.
    if (info.reason === 'aborted') return;
    const occurrences = events.reduce(
      (n, e) => n + (this.#aggregator?.membersOf(e)?.length ?? 1),
      0,
    );
    this.stats.deadLettered += occurrences;
    this.#failedBy[info.reason] += occurrences;
    this.#log.gaveUp(occurrences, error, info);
    const { onDeadLetter } = this.#options;
    // Awaited, so a rejection is caught here: never unhandled, never the worker's end.
    try {
      await onDeadLetter?.(events, error, info);
    } catch (thrown) {
      this.#callbackFailed('onDeadLetter', thrown);
    }
    // Handled once the callback has them: the checkpoint may pass them now.
    for (const event of events) this.#release(event);
  }
}
