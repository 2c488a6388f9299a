import type { CoreV1EventObject } from '@keventer/core';
import { microTimeOf } from './builders.js';
import type { EventRef, ScenarioStep } from './scenario.js';
import { kubeTime } from './time.js';

/** What {@link playScenario} needs of a server (a FakeKubeApiServer fits). */
export interface ScenarioTarget {
  createEvent(obj: CoreV1EventObject): unknown;
  recurEvent(namespace: string, name: string, options?: { message?: string; at?: Date }): unknown;
  deleteEvent(namespace: string, name: string): unknown;
}

/** Options of {@link playScenario}. */
export interface PlayOptions {
  /** Time runs this many times faster; Infinity applies every step without waiting. @default 1 */
  speed?: number;
  /** Stops the playback: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** What a scenario did (or will do). */
export interface ScenarioSummary {
  steps: number;
  created: number;
  recurrences: number;
  deletions: number;
  /** Occurrences (creations + recurrences) by Event type, e.g. `{ Normal: 80, Warning: 35 }`. */
  occurrences: Record<string, number>;
  /** Occurrences by reason. */
  byReason: Record<string, number>;
}

/** Waits `ms`; rejects with the signal's reason when it aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const keyOf = (ref: EventRef): string => `${ref.namespace}/${ref.name}`;

/** Counts what the steps do, without playing them. */
export function summarizeScenario(steps: readonly ScenarioStep[]): ScenarioSummary {
  const summary: ScenarioSummary = {
    steps: 0,
    created: 0,
    recurrences: 0,
    deletions: 0,
    occurrences: {},
    byReason: {},
  };
  const known = new Map<string, CoreV1EventObject>();
  const occurred = (e: CoreV1EventObject | undefined): void => {
    const type = e?.type ?? '';
    const reason = e?.reason ?? '';
    summary.occurrences[type] = (summary.occurrences[type] ?? 0) + 1;
    summary.byReason[reason] = (summary.byReason[reason] ?? 0) + 1;
  };
  for (const step of steps) {
    summary.steps++;
    if (step.action === 'create') {
      summary.created++;
      known.set(
        keyOf({
          namespace: step.event.metadata?.namespace ?? '',
          name: step.event.metadata?.name ?? '',
        }),
        step.event,
      );
      occurred(step.event);
    } else if (step.action === 'recur') {
      summary.recurrences++;
      occurred(known.get(keyOf(step.ref)));
    } else {
      summary.deletions++;
    }
  }
  return summary;
}

/** The event with its occurrence timestamps moved to `now`. */
function stamped(event: CoreV1EventObject, now: Date): CoreV1EventObject {
  const out = structuredClone(event);
  if (out.firstTimestamp) out.firstTimestamp = kubeTime(now);
  if (out.lastTimestamp) out.lastTimestamp = kubeTime(now);
  if (out.eventTime) out.eventTime = microTimeOf(now);
  if (out.series?.lastObservedTime) out.series.lastObservedTime = microTimeOf(now);
  return out;
}

/**
 * Applies a scenario to a server in time order, waiting `atMs / speed`
 * between steps. Events carry the wall-clock time at which they are played
 * (names stay as in the scenario). Resolves with a summary of what was applied.
 */
export async function playScenario(
  server: ScenarioTarget,
  steps: readonly ScenarioStep[],
  options: PlayOptions = {},
): Promise<ScenarioSummary> {
  const { speed = 1, signal } = options;
  if (!(speed > 0)) throw new RangeError('speed must be greater than 0');
  const t0 = performance.now();
  const applied: ScenarioStep[] = [];
  for (const step of steps) {
    signal?.throwIfAborted();
    const wait = step.atMs / speed - (performance.now() - t0);
    if (wait > 0) await sleep(wait, signal);
    const now = new Date();
    if (step.action === 'create') server.createEvent(stamped(step.event, now));
    else if (step.action === 'recur') {
      server.recurEvent(step.ref.namespace, step.ref.name, {
        at: now,
        ...(step.message === undefined ? {} : { message: step.message }),
      });
    } else server.deleteEvent(step.ref.namespace, step.ref.name);
    applied.push(step);
  }
  return summarizeScenario(applied);
}
