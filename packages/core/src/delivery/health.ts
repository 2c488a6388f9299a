import type { EventStream } from '../stream/event-stream.js';
import type { Route } from './route.js';

export interface HealthThresholds {
  /** Unhealthy when the stream has not been watching for this long. @default 120000 */
  readonly streamDownMs?: number;
  /** Unhealthy when every attempt to a sink has failed for this long. @default 300000 */
  readonly sinkFailingMs?: number;
}

export interface Health {
  /** True after the stream's first successful list (or its resume from a checkpoint). */
  readonly ready: boolean;
  /** False when the watch or a sink has been failing longer than its threshold, or at once when the API server denies access (401/403). */
  readonly healthy: boolean;
  /** Why it is not healthy (or not ready), one line each, without secrets or object names. */
  readonly problems: readonly string[];
}

/**
 * Health that tells the truth, unlike an always-ok `/healthz`: it follows the
 * watch's state and every route's run of failures.
 */
export function createHealthCheck(
  stream: EventStream,
  routes: readonly Route[],
  thresholds: HealthThresholds = {},
) {
  const { streamDownMs = 120_000, sinkFailingMs = 300_000 } = thresholds;
  let lastWatchingAt = Date.now();
  stream.onState((state) => {
    if (state.phase === 'watching') lastWatchingAt = Date.now();
  });
  return (now = Date.now()): Health => {
    const problems: string[] = [];
    const { phase, error } = stream.state;
    if (!stream.stats.ready) problems.push('the first list of events has not completed yet');
    if (phase === 'watching') lastWatchingAt = now;
    const downMs = now - lastWatchingAt;
    // Denied access (401/403) heals only when someone fixes RBAC: reported at
    // once, not after streamDownMs, while the stream keeps retrying.
    const denied = stream.problem;
    if (denied) problems.push(`the event stream is failing: ${denied}`);
    const watchDown = (phase !== 'watching' && downMs > streamDownMs) || denied !== undefined;
    if (watchDown && !denied) {
      problems.push(
        `the event watch has not been up for ${downMs} ms (${phase}${error ? `: ${error.message}` : ''})`,
      );
    }
    let sinkDown = false;
    for (const route of routes) {
      const failingMs = route.failingForMs(now);
      if (failingMs > sinkFailingMs) {
        sinkDown = true;
        problems.push(`route ${route.name}: every delivery has failed for ${failingMs} ms`);
      }
    }
    return { ready: stream.stats.ready, healthy: !watchDown && !sinkDown, problems };
  };
}
