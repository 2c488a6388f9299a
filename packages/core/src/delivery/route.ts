import type { Dedup } from '../dedup/index.js';
import type { KubeEvent } from '../event/model.js';
import type { EventFilter } from '../filter/index.js';
import type { DeliveryDefaults } from '../sink/delivery.js';
import type { SinkError } from '../sink/errors.js';
import type { Sink } from '../sink/sink.js';
import { type Batcher, createBatcher } from './batcher.js';
import { EventBuffer } from './buffer.js';
import { createSender, type DeadLetterInfo, type Sender } from './sender.js';
import { resolveDeliverySettings } from './settings.js';
import type { DeliveryInput, DeliverySettings } from './settings-table.js';

/** One destination of a forwarder: which events, how to deliver them, and where. */
export interface RouteOptions {
  /** Names the route in stats and logs. @default the sink's name */
  readonly name?: string;
  readonly sink: Sink;
  readonly filter?: EventFilter;
  readonly dedup?: Dedup;
  /** Delivery settings in code; they win over `uriDelivery` and `sinkDefaults`. */
  readonly delivery?: DeliveryInput;
  /** A URI's `batch.*`/`buffer.*`/`request.*`/`aggregate.*` strings. @default sink.delivery.uri */
  readonly uriDelivery?: Readonly<Record<string, string>>;
  /** The sink definition's `delivery` defaults. @default sink.delivery.defaults */
  readonly sinkDefaults?: DeliveryDefaults;
  /** Receives every batch given up (permanent error, retries or budget spent), with the last error. */
  readonly onDeadLetter?: (
    events: readonly KubeEvent[],
    error: SinkError,
    info: DeadLetterInfo,
  ) => void | Promise<void>;
}

export interface RouteStats {
  received: number;
  filtered: number;
  deduplicated: number;
  dropped: number;
  sent: number;
  deadLettered: number;
}

/** How many batches a route has in flight at most, whatever its concurrency says. */
const MAX_IN_FLIGHT_BATCHES = 64;

/**
 * One route at run time: filter and dedup, a bounded buffer, a batcher and a
 * retrying sender. `handled(event)` is called once per event when the route is
 * done with it (filtered, deduplicated, dropped, delivered or dead-lettered);
 * events still in flight when the route is stopped are not reported, so a
 * checkpoint never moves past them.
 */
export class Route {
  readonly name: string;
  readonly settings: DeliverySettings;
  readonly stats: RouteStats = {
    received: 0,
    filtered: 0,
    deduplicated: 0,
    dropped: 0,
    sent: 0,
    deadLettered: 0,
  };
  readonly #options: RouteOptions;
  readonly #buffer: EventBuffer<KubeEvent>;
  readonly #batcher: Batcher<KubeEvent>;
  readonly #sender: Sender;
  readonly #handled: (event: KubeEvent) => void;
  #worker: Promise<void> | undefined;
  /** When the sink's current run of failed attempts began; undefined while it delivers. */
  #failingSince: number | undefined;

  constructor(options: RouteOptions, handled: (event: KubeEvent) => void, signal: AbortSignal) {
    this.#options = options;
    this.#handled = handled;
    this.name = options.name ?? options.sink.name;
    const { sink } = options;
    const uri = options.uriDelivery ?? sink.delivery?.uri;
    const sinkDefaults = options.sinkDefaults ?? sink.delivery?.defaults;
    this.settings = resolveDeliverySettings({
      sink: sink.name,
      ...(options.delivery ? { explicit: options.delivery } : {}),
      ...(uri ? { uri } : {}),
      ...(sinkDefaults ? { sinkDefaults } : {}),
    });
    const { batch, buffer, request } = this.settings;
    this.#buffer = new EventBuffer<KubeEvent>({
      maxEvents: buffer.maxEvents,
      whenFull: buffer.whenFull,
      onDrop: (event) => {
        this.stats.dropped++;
        handled(event); // counted and given up by policy: nothing to replay
      },
    });
    this.#batcher = createBatcher({
      buffer: this.#buffer,
      maxEvents: batch.maxEvents,
      maxBytes: batch.maxBytes,
      timeoutMs: batch.timeoutMs,
    });
    this.#sender = createSender({
      sink: options.sink,
      request,
      signal,
      onDeadLetter: (events, error, info) => this.#deadLetter(events, error, info),
      onAttempt: (attempt) => {
        if (!attempt.error) this.#failingSince = undefined;
        else this.#failingSince ??= Date.now();
      },
    });
  }

  /** How long every attempt to the sink has failed, 0 while it delivers. */
  failingForMs(now = Date.now()): number {
    return this.#failingSince === undefined ? 0 : now - this.#failingSince;
  }

  get queued(): number {
    return this.#buffer.size;
  }

  /** Takes an event; a promise means the buffer is full and the caller must wait (backpressure). */
  offer(event: KubeEvent, signal: AbortSignal): Promise<void> | undefined {
    this.stats.received++;
    const { filter, dedup } = this.#options;
    if (filter && !filter(event)) {
      this.stats.filtered++;
      this.#handled(event);
      return undefined;
    }
    if (dedup && !dedup.accept(event)) {
      this.stats.deduplicated++;
      this.#handled(event);
      return undefined;
    }
    return this.#buffer.push(event, { signal });
  }

  start(): void {
    this.#worker ??= this.#work();
  }

  /** Stops taking events, sends what is buffered and waits for it (the caller bounds the wait). */
  async drain(): Promise<void> {
    this.#buffer.close();
    await this.#worker;
  }

  async #work(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    const limit = Math.min(this.settings.request.concurrency, MAX_IN_FLIGHT_BATCHES);
    for (;;) {
      const batch = await this.#batcher.next();
      if (!batch) break;
      const sending: Promise<void> = this.#sender.send(batch).then((outcome) => {
        if (outcome.delivered) this.stats.sent += batch.length;
        // Aborted batches stay unreported: the checkpoint keeps them for a replay.
        if (outcome.delivered || outcome.reason !== 'aborted')
          for (const event of batch) this.#handled(event);
      });
      inFlight.add(sending);
      void sending.finally(() => inFlight.delete(sending));
      if (inFlight.size >= limit) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  }

  async #deadLetter(
    events: readonly KubeEvent[],
    error: SinkError,
    info: DeadLetterInfo,
  ): Promise<void> {
    if (info.reason === 'aborted') return; // replayed after a restart, not lost
    this.stats.deadLettered += events.length;
    await this.#options.onDeadLetter?.(events, error, info);
  }
}
