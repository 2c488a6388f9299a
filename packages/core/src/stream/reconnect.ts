import type { KubeEvent } from '../event/model.js';
import { backoffDelay } from '../time/backoff.js';
import { sleep } from '../time/sleep.js';
import type { StreamContext } from './context.js';
import { KubeApiError, type KubeClient } from './kube-client.js';
import { type ListMode, listEvents } from './list.js';
import type { StallWatchdog } from './stall-watchdog.js';
import { asConfigError } from './unrecoverable.js';
import { watchEvents } from './watch.js';
import { WatchHealth } from './watch-health.js';

/** Which request failed, for logs. */
type Step = 'list' | 'watch';

/**
 * List (when `first` says so), then watch from the position, again and again
 * until the stream stops: reopens closed, failed and stalled watches after a
 * backoff, relists after a 410. A configuration error that waiting cannot heal
 * is thrown (a StreamConfigError); every other failure is retried.
 */
export async function* readForever(
  ctx: StreamContext,
  client: KubeClient,
  watchdog: StallWatchdog,
  first: ListMode | undefined,
): AsyncGenerator<readonly KubeEvent[]> {
  let listMode = first;
  /** Consecutive failures: only a healthy watch ends the streak (see WatchHealth). */
  let attempt = 0;
  while (!ctx.signal.aborted) {
    let step: Step = 'list';
    const watch = new WatchHealth();
    try {
      if (listMode) {
        yield* listEvents(ctx, client, listMode);
        listMode = undefined;
      }
      step = 'watch';
      yield* watchEvents(ctx, client, watchdog, watch);
      // A healthy watch that ran its course reopens at once; one closed at
      // once, empty, must not loop hot.
      attempt = watch.healthy() ? 0 : attempt + 1;
      if (attempt > 0) await backoff(ctx, attempt, undefined);
    } catch (error) {
      if (ctx.signal.aborted) return;
      const fatal = asConfigError(error, client.server);
      if (fatal) throw fatal;
      ctx.stats.reconnects++;
      // A watch that worked before it failed ends the streak: this is a first failure.
      attempt = watch.healthy(error) ? 1 : attempt + 1;
      if (error instanceof KubeApiError && error.gone) {
        // A continue token that expired mid-list: the same list again (its
        // cutoff kept). A watch position compacted away: list from it.
        ctx.stats.relists++;
        if (step === 'watch') listMode = relistFrom(ctx);
        logGone(ctx, step, attempt);
        await backoff(ctx, attempt, undefined);
        continue;
      }
      ctx.stats.errors++;
      await backoff(ctx, attempt, error as Error, step);
    }
  }
}

/** After a watch 410: list everything, emitting only what changed after the position. */
function relistFrom(ctx: StreamContext): ListMode {
  return { cutoffMs: Number.NEGATIVE_INFINITY, position: ctx.progress.resourceVersion };
}

function logGone(ctx: StreamContext, step: Step, attempt: number): void {
  ctx.options.logger.info(
    { step, resourceVersion: ctx.progress.resourceVersion, attempt },
    step === 'list'
      ? 'continue token too old (410): listing again from the start'
      : 'resourceVersion too old (410): listing again',
  );
}

/** Waits before attempt `attempt` + 1: every retry of the stream comes through here and is counted. */
async function backoff(
  ctx: StreamContext,
  attempt: number,
  error: Error | undefined,
  step?: Step,
): Promise<void> {
  const retryAfterMs = error instanceof KubeApiError ? (error.retryAfterMs ?? 0) : 0;
  const delay = Math.max(backoffDelay(attempt - 1, ctx.options.backoff), retryAfterMs);
  ctx.stats.retries++;
  if (error && step) logFailure(ctx, step, error, delay);
  ctx.setState('backoff', { retryInMs: delay, attempt, ...(error ? { error } : {}) });
  await sleep(delay, { signal: ctx.signal }).catch(() => {});
}

function logFailure(ctx: StreamContext, step: Step, error: Error, retryInMs: number): void {
  const { logger, apiGroup } = ctx.options;
  if (error instanceof KubeApiError && (error.statusCode === 401 || error.statusCode === 403)) {
    const problem = `not allowed to list/watch events (${error.statusCode}): ${error.reason ? `${error.reason}; ` : ''}check the credentials and RBAC (verbs list and watch on events in ${apiGroup === 'core/v1' ? 'the core group' : 'events.k8s.io'})`;
    ctx.setProblem(problem);
    logger.error({ step, statusCode: error.statusCode, reason: error.reason }, problem);
    return;
  }
  const what = step === 'list' ? 'listing events failed' : 'watching events failed';
  logger.warn({ step, err: error.message, retryInMs }, `${what}: retrying`);
}
