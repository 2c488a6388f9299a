// What a sink brings to `npm run bench:sinks`: one module per sink in this
// folder, listed in registry.ts. The runner (../sinks.ts) does the rest: the
// fake API server, the forwarder in its own process, the timing and the table.
import type { KubeEvent, Sink } from '@keventer/core';

/** Where one run writes: plain JSON, handed to the forwarder's process. */
export type Target = Readonly<Record<string, string>>;

export interface SinkBench {
  /** The last line's key prefix: `<name>_<unit>/s` and `<name>_per_event_<unit>/s`. */
  readonly name: string;
  /** What an event becomes in the store: rows, points, msgs. */
  readonly unit: string;
  /** Its server's folder under scripts/ (with-services.sh starts it), for its CPU time. */
  readonly service: string;
  /** The forwarder's ceiling (discard.ts): no store to count, no baseline, not in the last line. */
  readonly reference?: boolean;
  /** What the per-event baseline does, for the table. */
  readonly perEventMethod: string;
  /** Why this sink cannot run here (its server's address is not set), or undefined. */
  missing(): string | undefined;
  /** A fresh table, database or topic for one run, named after `run`. */
  fresh(run: string): Promise<Target>;
  /** The sink as a user makes it, at its defaults, writing to `target` (in the forwarder's process). */
  createSink(target: Target): Promise<Sink>;
  /** How many rows, points or messages `target` holds: the count that makes a rate honest. */
  count(target: Target): Promise<number>;
  /** kube-eventer's way: one request per event, each awaited before the next. */
  perEvent(target: Target, events: readonly KubeEvent[]): Promise<void>;
  /** Releases what the module opened in the runner's process (connections). */
  close(): Promise<void>;
}
