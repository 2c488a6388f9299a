/**
 * Forwarding that starts and stops on demand, as often as needed in one
 * process: what leader election drives (start when elected, stop when the
 * lease is lost or the process is told to end).
 *
 *   const forwarding = new Forwarding(plan, { checkpoint, logger });
 *   await forwarding.start();   // fresh sinks, a stream resuming from the checkpoint
 *   forwarding.health();        // for /healthz and /readyz
 *   await forwarding.metricsText(); // for /metrics
 *   const report = await forwarding.stop(); // drains (plan.drainTimeoutMs), saves the checkpoint
 *
 * `start()` resolves once the forwarder runs (sinks built); `session.done`
 * settles when it ends, also on its own (a stream that fails for good).
 * Without leader election the CLI calls start() once and stop() on SIGTERM.
 */
import {
  type CheckpointStore,
  createForwarder,
  EventStream,
  type Forwarder,
  type ForwarderReport,
  type Health,
  type Logger,
} from '@keventer/core';
import { registerForwarderMetrics } from '@keventer/prometheus';
import type { ForwardingPlan } from './plan.js';
import { type BuiltRoute, buildRoutes, closeRoutes } from './routes.js';

export interface ForwardingOptions {
  /** Where the stream resumes from and saves to; without one it starts at `since` each time. */
  readonly checkpoint?: CheckpointStore;
  readonly logger: Logger;
  /** Serve `/metrics` (kube-eventer's --event-metrics). @default true */
  readonly metrics?: boolean;
  /** For `$VAR` expansion in sink URIs and option env fallbacks. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Started and stopped by leader election: while not forwarding it is a
   * healthy standby and answers /readyz 200, or a Deployment of two replicas
   * shows 1/2 Ready and a rolling update waits for the standby forever.
   * @default false
   */
  readonly elected?: boolean;
}

/**
 * Builds a forwarder from the plan without running it: fresh sinks, a stream
 * that connects only when run. The dry run uses it to show what would run
 * (and createForwarder checks every route); a start runs it.
 */
export async function assemble(
  plan: ForwardingPlan,
  options: ForwardingOptions,
): Promise<{ forwarder: Forwarder; routes: BuiltRoute[] }> {
  const routes = await buildRoutes(plan.routes, options.env ?? process.env);
  try {
    const { source } = plan;
    const stream = new EventStream({
      ack: 'manual',
      logger: options.logger,
      ...(source.kubeConfig !== undefined ? { kubeConfig: source.kubeConfig } : {}),
      ...(source.apiGroup !== undefined ? { apiGroup: source.apiGroup } : {}),
      ...(source.namespace !== undefined ? { namespace: source.namespace } : {}),
      ...(source.fieldSelector !== undefined ? { fieldSelector: source.fieldSelector } : {}),
      ...(source.labelSelector !== undefined ? { labelSelector: source.labelSelector } : {}),
      ...(source.since !== undefined ? { since: source.since } : {}),
      ...(options.checkpoint !== undefined ? { checkpoint: options.checkpoint } : {}),
    });
    const forwarder = createForwarder({
      stream,
      routes: routes.map((r) => r.route),
      drainTimeoutMs: plan.drainTimeoutMs,
      logger: options.logger,
      ...(plan.health !== undefined ? { health: plan.health } : {}),
    });
    return { forwarder, routes };
  } catch (error) {
    await closeRoutes(routes);
    throw error;
  }
}

/** One run of the forwarder, from start() to its stop. */
export interface ForwardingSession {
  readonly forwarder: Forwarder;
  /** Settles when the forwarder has stopped, drained and saved the checkpoint. */
  readonly done: Promise<ForwarderReport>;
}

/** Not forwarding yet, without leader election: the start is under way. */
const NOT_STARTED: Health = {
  ready: false,
  healthy: true,
  problems: ['not forwarding yet: starting'],
};

/** A replica waiting for the Lease: nothing wrong, and nothing for a rollout to wait on. */
const STANDBY: Health = { ready: true, healthy: true, problems: [] };

/** Tells leader from standby in /metrics (readiness cannot: a standby is ready too). */
const LEADER_GAUGE = [
  '# HELP keventer_leader 1 while this replica forwards (the leader, or the only replica), 0 while it waits for the Lease.',
  '# TYPE keventer_leader gauge',
];

export class Forwarding {
  #session: ForwardingSession | undefined;
  #starting: Promise<ForwardingSession> | undefined;
  #metricsText: (() => Promise<string>) | undefined;

  constructor(
    readonly plan: ForwardingPlan,
    private readonly options: ForwardingOptions,
  ) {}

  /** The running session, if any. */
  get session(): ForwardingSession | undefined {
    return this.#session;
  }

  /** Starts forwarding; when already started, returns the running session. */
  start(): Promise<ForwardingSession> {
    if (this.#session) return Promise.resolve(this.#session);
    this.#starting ??= this.#start().finally(() => {
      this.#starting = undefined;
    });
    return this.#starting;
  }

  async #start(): Promise<ForwardingSession> {
    const { options } = this;
    const { logger } = options;
    const { forwarder, routes } = await assemble(this.plan, options);
    // A registry per session: a new forwarder's counters start at zero, as a
    // restarted process's do, which Prometheus' rate() expects.
    const registry = options.metrics === false ? undefined : registerForwarderMetrics(forwarder);
    this.#metricsText = registry ? () => registry.metrics() : undefined;
    for (const r of routes)
      logger.info({ route: r.route.name ?? r.route.sink.name, sink: r.shown }, 'route started');
    const done = forwarder.run().finally(() => {
      if (this.#session?.forwarder === forwarder) this.#session = undefined;
    });
    const session = { forwarder, done };
    this.#session = session;
    return session;
  }

  /** Stops forwarding: drains within the plan's deadline and saves the checkpoint. Idempotent. */
  async stop(): Promise<ForwarderReport | undefined> {
    const session =
      this.#session ?? (this.#starting ? await this.#starting.catch(() => undefined) : undefined);
    if (!session) return undefined;
    session.forwarder.stop();
    return session.done;
  }

  /** True while a forwarder runs (drain included): under leader election, while this replica leads. */
  get forwarding(): boolean {
    return this.#session !== undefined;
  }

  /**
   * The running forwarder's health. Without one: a standby (under leader
   * election) is healthy and ready; otherwise the start is under way, not ready.
   */
  health(): Health {
    return this.#session?.forwarder.health() ?? (this.options.elected ? STANDBY : NOT_STARTED);
  }

  /**
   * Prometheus text of the running (or last) forwarder, and `keventer_leader`;
   * undefined when metrics are off.
   */
  async metricsText(): Promise<string | undefined> {
    if (this.options.metrics === false) return undefined;
    const leader = [...LEADER_GAUGE, `keventer_leader ${this.forwarding ? 1 : 0}`, ''].join('\n');
    return (this.#metricsText ? await this.#metricsText() : '') + leader;
  }
}
