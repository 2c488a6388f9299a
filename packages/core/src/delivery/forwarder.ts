import { EventTag } from '../event/event-tag.js';
import type { KubeEvent } from '../event/model.js';
import { guardLogger, type Logger, silentLogger } from '../logger.js';
import { type EventBatches, EventStream, eventBatches } from '../stream/event-stream.js';
import type { StreamPhase, StreamStats } from '../stream/state.js';
import { checkForwarderOptions } from './forwarder-options.js';
import { createHealthCheck, type Health, type HealthThresholds } from './health.js';
import { Route, type RouteOptions, type RouteStats } from './route.js';
import type { RouteMetrics } from './route-metrics.js';
import type { DeliverySettings } from './settings/table.js';

export interface ForwarderOptions {
  /** The source; it must be created with `ack: 'manual'` so its checkpoint follows delivery. */
  readonly stream: EventStream;
  readonly routes: readonly RouteOptions[];
  /** How long stopping waits for buffered and in-flight events to be delivered. @default 30000 */
  readonly drainTimeoutMs?: number;
  /**
   * Longest time between a delivery and the checkpoint save that records it
   * (the first delivery after a quiet spell is saved at once); longer when a
   * save itself is slow, so saving stays under ~5% of the time. @default 100
   */
  readonly checkpointDelayMs?: number;
  /** When `health()` reports the forwarder unhealthy. */
  readonly health?: HealthThresholds;
  /** Where retries, give-ups, drops and the drain report go (pino-compatible). @default silent */
  readonly logger?: Logger;
}

/** Everything the forwarder counts, for `@keventer/prometheus` or your own exporter. */
export interface ForwarderMetrics {
  readonly stream: Readonly<StreamStats> & { readonly phase: StreamPhase };
  readonly routes: readonly RouteMetrics[];
  /** Events read from the stream and not yet handled by every route. */
  readonly unacknowledged: number;
}

export interface ForwarderReport {
  readonly routes: Readonly<Record<string, RouteStats>>;
  /** Events read but not handled by every route when the forwarder stopped; a restart from the checkpoint replays them. */
  readonly undelivered: number;
}

export interface Forwarder {
  /** Forwards until {@link stop} (or one of `stopOn`'s signals), then drains and saves the checkpoint. */
  run(options?: { stopOn?: readonly NodeJS.Signals[] }): Promise<ForwarderReport>;
  stop(): void;
  /** Ready after the first list; unhealthy when the watch or a sink has been failing too long. */
  health(): Health;
  /** A snapshot of every counter, gauge and histogram; cheap enough to call per scrape. */
  metrics(): ForwarderMetrics;
  /** What each route is and has done, in the order of `options.routes`. */
  readonly routes: readonly ForwarderRoute[];
}

/** A route as the forwarder shows it: read-only, nothing that drives it. */
export interface ForwarderRoute {
  readonly name: string;
  /** The sink's name (`sink.name`). */
  readonly sink: string;
  /** The delivery settings in force: code over the URI over the sink's defaults over core's. */
  readonly settings: DeliverySettings;
  /** Its counters now (a copy: they do not change under the caller). */
  readonly stats: RouteStats;
  /** Counters, gauges and histograms, as in `forwarder.metrics().routes`. */
  metrics(): RouteMetrics;
}

/** Any other AsyncIterable of events (a stand-in for an EventStream): batches of one. */
function oneByOne(events: AsyncIterable<KubeEvent>): EventBatches {
  const iterator = events[Symbol.asyncIterator]();
  return {
    async next() {
      const result = await iterator.next();
      return result.done ? undefined : [result.value];
    },
    stopped: false,
    async return() {
      await iterator.return?.();
    },
  };
}

function viewOf(route: Route): ForwarderRoute {
  return Object.freeze({
    name: route.name,
    sink: route.metrics().sink,
    settings: route.settings,
    get stats(): RouteStats {
      return { ...route.stats };
    },
    metrics: () => route.metrics(),
  });
}

/**
 * Connects an EventStream to routes: each event goes to every route, each
 * route filters, dedups, buffers, batches and sends on its own, so a slow or
 * failing sink never holds up another (until its own buffer is full and
 * `whenFull: 'block'` slows the stream). An event is acknowledged to the
 * stream, and so to its checkpoint, only when every route is done with it.
 */
export function createForwarder(options: ForwarderOptions): Forwarder {
  checkForwarderOptions(options); // every problem at once, before anything starts
  const { stream, drainTimeoutMs = 30_000, checkpointDelayMs = 100 } = options;
  const logger = options.logger ?? silentLogger;

  // Per event offered to several routes: how many have still to handle it.
  // With one route (the usual case) the event is done when that route is.
  const routesLeft =
    options.routes.length > 1 ? new EventTag<number>('keventer.routes') : undefined;
  let unacknowledged = 0;
  const handled = (event: KubeEvent): void => {
    if (routesLeft) {
      const left = (routesLeft.get(event) ?? 1) - 1;
      if (left > 0) {
        routesLeft.set(event, left);
        return;
      }
      routesLeft.clear(event);
    }
    unacknowledged--;
    stream.ack(event);
    // After a crash only what was in flight, or acknowledged within that delay, is delivered again.
    stream.saveCheckpointSoon(checkpointDelayMs);
  };
  const stopping = new AbortController();
  const giveUp = new AbortController(); // after the drain deadline: stop sending
  const routes = options.routes.map((route) => new Route(route, handled, giveUp.signal, logger));

  async function forward(): Promise<void> {
    for (const route of routes) route.start();
    const batches = stream instanceof EventStream ? eventBatches(stream) : oneByOne(stream);
    let ended = false;
    try {
      for (let batch = await batches.next(); batch; batch = await batches.next()) {
        for (const event of batch) {
          // Like `for await` over the stream: nothing more after stop(); the rest stays unacked.
          if (batches.stopped) break;
          unacknowledged++;
          routesLeft?.set(event, routes.length);
          for (const route of routes) {
            const full = route.offer(event, stopping.signal);
            if (full) await full;
          }
        }
      }
      ended = true;
    } catch (error) {
      if (stopping.signal.aborted) return; // a blocked push was cut short by stop()
      // E.g. a StreamConfigError: run() rejects with it after the drain.
      logger.error(
        { err: (error as Error).message },
        'the event stream failed: forwarder stopping',
      );
      throw error;
    } finally {
      if (!ended) await batches.return();
    }
  }

  async function drain(): Promise<void> {
    const deadline = setTimeout(
      () => giveUp.abort(new Error('drain deadline passed')),
      drainTimeoutMs,
    );
    try {
      await Promise.all(routes.map((route) => route.drain()));
    } finally {
      clearTimeout(deadline);
    }
    await stream.saveCheckpoint();
    // After the last write: sinks flush and release connections and timers.
    await Promise.all(routes.map((route) => route.close()));
  }

  const stop = (): void => {
    stopping.abort(new Error('forwarder stopped'));
    stream.stop();
  };

  return {
    routes: Object.freeze(routes.map(viewOf)),
    stop,
    health: createHealthCheck(stream, routes, options.health),
    metrics: () => ({
      stream: { ...stream.stats, phase: stream.state.phase },
      routes: routes.map((route) => route.metrics()),
      unacknowledged,
    }),
    async run({ stopOn = [] } = {}) {
      for (const signal of stopOn) process.once(signal, stop);
      try {
        await forward();
      } finally {
        // Also when the stream failed: what the routes hold still goes out.
        await drain();
        for (const signal of stopOn) process.off(signal, stop);
      }
      const report = {
        routes: Object.fromEntries(routes.map((route) => [route.name, { ...route.stats }])),
        undelivered: unacknowledged,
      };
      const level = report.undelivered > 0 ? 'warn' : 'info';
      // The logger is user code: the routes count its throws; this last line only must not throw.
      guardLogger(logger, () => {})[level](report, 'forwarder stopped');
      return report;
    },
  };
}
