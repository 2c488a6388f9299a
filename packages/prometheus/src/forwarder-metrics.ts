import type { ForwarderMetrics, RouteMetrics, StreamPhase } from '@keventer/core';
import { Counter, Gauge, Registry } from 'prom-client';
import { SnapshotHistogram } from './histogram.js';

export interface PrometheusOptions {
  /** Where the metrics go. @default a new Registry */
  readonly registry?: Registry;
  /** @default 'keventer_' */
  readonly prefix?: string;
}

/** Anything with the forwarder's `metrics()`: a Forwarder, or your own wrapper. */
export interface MetricsSource {
  metrics(): ForwarderMetrics;
}

const ROUTE = ['route', 'sink'] as const;
const PHASES: readonly StreamPhase[] = [
  'connecting',
  'listing',
  'watching',
  'backoff',
  'stalled',
  'stopped',
];

type RouteCounter = {
  readonly name: string;
  readonly help: string;
  readonly value: (route: RouteMetrics) => number;
};

// Counters per route and sink. A digest counts as the occurrences it stands for.
const ROUTE_COUNTERS: readonly RouteCounter[] = [
  {
    name: 'events_received_total',
    help: 'Occurrences offered to the route.',
    value: (r) => r.received,
  },
  {
    name: 'events_filtered_total',
    help: 'Occurrences the route filter (or the sink options) left out.',
    value: (r) => r.filtered,
  },
  {
    name: 'events_deduplicated_total',
    help: 'Occurrences left out by the route dedup.',
    value: (r) => r.deduplicated,
  },
  {
    name: 'events_aggregated_total',
    help: 'Occurrences folded into a digest by the aggregation window.',
    value: (r) => r.aggregated,
  },
  {
    name: 'digests_total',
    help: 'Digests made by the aggregation window.',
    value: (r) => r.digests,
  },
  {
    name: 'events_queued_total',
    help: 'Items (events and digests) that entered the route buffer.',
    value: (r) => r.enqueued,
  },
  { name: 'events_sent_total', help: 'Occurrences delivered to the sink.', value: (r) => r.sent },
  {
    name: 'send_retries_total',
    help: 'Attempts after the first of a batch.',
    value: (r) => r.retries,
  },
  {
    name: 'send_retried_events_total',
    help: 'Items written again by retries; after a partial write only its failed ones.',
    value: (r) => r.retriedEvents,
  },
  {
    name: 'partial_batches_total',
    help: 'Writes the sink reported partly failed (a bulk API that accepted part of a batch).',
    value: (r) => r.partialBatches,
  },
  {
    name: 'partial_accepted_events_total',
    help: 'Items the partly failed writes delivered, acknowledged without waiting for the rest.',
    value: (r) => r.partialAccepted,
  },
];

const ROUTE_GAUGES: readonly RouteCounter[] = [
  { name: 'queue_depth', help: 'Items in the route buffer.', value: (r) => r.queueDepth },
  {
    name: 'aggregation_held_events',
    help: 'Occurrences held in open aggregation windows.',
    value: (r) => r.held,
  },
  { name: 'in_flight_events', help: 'Items in batches being sent.', value: (r) => r.inFlight },
  {
    name: 'sink_failing_seconds',
    help: 'How long every attempt to the sink has failed (0 while it delivers).',
    value: (r) => r.failingForMs / 1000,
  },
];

const ROUTE_COUNTERS_BY_REASON: ReadonlyArray<{
  readonly name: string;
  readonly help: string;
  /** The label that tells the values apart. @default 'reason' */
  readonly label?: string;
  readonly values: (route: RouteMetrics) => Readonly<Record<string, number>>;
}> = [
  {
    name: 'events_failed_total',
    help: 'Occurrences dead-lettered, by why the batch was given up.',
    values: (r) => r.failedBy,
  },
  {
    name: 'events_dropped_total',
    help: 'Occurrences dropped by the buffer policy (whenFull), by policy.',
    values: (r) => r.droppedBy,
  },
  {
    name: 'callback_errors_total',
    help: 'Throws of user callbacks (filter, dedup, aggregateKey, onDeadLetter, logger), by callback; delivery went on.',
    label: 'callback',
    values: (r) => r.callbackErrors,
  },
];

type StreamCounter = {
  readonly name: string;
  readonly help: string;
  readonly value: (stream: ForwarderMetrics['stream']) => number;
};

const STREAM_COUNTERS: readonly StreamCounter[] = [
  {
    name: 'stream_events_received_total',
    help: 'Event objects read from lists and watches.',
    value: (s) => s.received,
  },
  {
    name: 'stream_events_emitted_total',
    help: 'New occurrences handed to the forwarder.',
    value: (s) => s.emitted,
  },
  {
    name: 'stream_reconnects_total',
    help: 'Watches reopened after an error, stall or close.',
    value: (s) => s.reconnects,
  },
  {
    name: 'stream_relists_total',
    help: 'Relists forced by a 410 (resourceVersion too old).',
    value: (s) => s.relists,
  },
  {
    name: 'stream_stalls_total',
    help: 'Watches that went silent past the stall timeout.',
    value: (s) => s.stalls,
  },
  { name: 'stream_errors_total', help: 'Failed list or watch requests.', value: (s) => s.errors },
  {
    name: 'stream_retries_total',
    help: 'Waits in the backoff before another list or watch: after a failure, a 410, or a watch that closed at once.',
    value: (s) => s.retries,
  },
  {
    name: 'stream_malformed_lines_total',
    help: 'Watch lines that were no watch event (not JSON, a wrong shape, longer than maxLineBytes).',
    value: (s) => s.malformedLines,
  },
  {
    name: 'stream_malformed_items_total',
    help: 'List items that were no Event object (skipped).',
    value: (s) => s.malformedItems,
  },
  { name: 'checkpoint_saves_total', help: 'Checkpoint saves.', value: (s) => s.checkpointSaves },
  {
    name: 'checkpoint_errors_total',
    help: 'Checkpoint saves that failed.',
    value: (s) => s.checkpointErrors,
  },
];

/**
 * Exposes a forwarder's numbers as Prometheus metrics. They are read from
 * `source.metrics()` when Prometheus scrapes, so forwarding pays nothing for
 * them. Labels are bounded: route, sink, reason, phase; never an object name
 * or a namespace.
 *
 * ```ts
 * const registry = registerForwarderMetrics(forwarder);
 * await serveHealth(forwarder.health, { metrics: () => registry.metrics() });
 * ```
 */
export function registerForwarderMetrics(
  source: MetricsSource,
  options: PrometheusOptions = {},
): Registry {
  const registry = options.registry ?? new Registry();
  const prefix = options.prefix ?? 'keventer_';
  // One snapshot per scrape, shared by every collector of that scrape.
  let snapshot: ForwarderMetrics | undefined;
  let takenAt = -1;
  const read = (): ForwarderMetrics => {
    const now = performance.now();
    if (!snapshot || now - takenAt > 50) {
      snapshot = source.metrics();
      takenAt = now;
    }
    return snapshot;
  };
  const labelsOf = (r: RouteMetrics) => ({ route: r.route, sink: r.sink });
  const metrics = [
    ...ROUTE_COUNTERS.map(
      (c) =>
        new Counter({
          name: prefix + c.name,
          help: c.help,
          labelNames: ROUTE,
          registers: [],
          collect() {
            this.reset();
            for (const route of read().routes) this.inc(labelsOf(route), c.value(route));
          },
        }),
    ),
    ...ROUTE_GAUGES.map(
      (g) =>
        new Gauge({
          name: prefix + g.name,
          help: g.help,
          labelNames: ROUTE,
          registers: [],
          collect() {
            for (const route of read().routes) this.set(labelsOf(route), g.value(route));
          },
        }),
    ),
    ...ROUTE_COUNTERS_BY_REASON.map(
      (c) =>
        new Counter({
          name: prefix + c.name,
          help: c.help,
          labelNames: [...ROUTE, c.label ?? 'reason'],
          registers: [],
          collect() {
            this.reset();
            for (const route of read().routes) {
              for (const [key, count] of Object.entries(c.values(route)))
                this.inc({ ...labelsOf(route), [c.label ?? 'reason']: key }, count);
            }
          },
        }),
    ),
    new SnapshotHistogram(
      {
        name: `${prefix}send_duration_seconds`,
        help: 'Duration of each attempt to write a batch to the sink.',
        labelNames: ROUTE,
      },
      () => read().routes.map((r) => [labelsOf(r), r.sendDuration] as const),
    ),
    new SnapshotHistogram(
      {
        name: `${prefix}event_lag_seconds`,
        help: "Delivery time minus the event's last occurrence time, per delivered item.",
        labelNames: ROUTE,
      },
      () => read().routes.map((r) => [labelsOf(r), r.lag] as const),
    ),
    ...STREAM_COUNTERS.map(
      (c) =>
        new Counter({
          name: prefix + c.name,
          help: c.help,
          registers: [],
          collect() {
            this.reset();
            this.inc(c.value(read().stream));
          },
        }),
    ),
    new Gauge({
      name: `${prefix}stream_phase`,
      help: 'What the event stream is doing: 1 for the current phase, 0 for the others.',
      labelNames: ['phase'],
      registers: [],
      collect() {
        const { phase } = read().stream;
        for (const p of PHASES) this.set({ phase: p }, p === phase ? 1 : 0);
      },
    }),
    new Gauge({
      name: `${prefix}stream_ready`,
      help: '1 after the first successful list of events.',
      registers: [],
      collect() {
        this.set(read().stream.ready ? 1 : 0);
      },
    }),
    new Gauge({
      name: `${prefix}unacknowledged_events`,
      help: 'Occurrences read and not yet handled by every route (the checkpoint waits for them).',
      registers: [],
      collect() {
        this.set(read().unacknowledged);
      },
    }),
  ];
  for (const metric of metrics) registry.registerMetric(metric);
  return registry;
}
