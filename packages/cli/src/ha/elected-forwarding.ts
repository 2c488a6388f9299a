import type { Forwarding } from '../run.js';
import type { LeaderElector, StopReason } from './leader-elector.js';
import { sleep } from './sleep.js';

/** Thrown when a deposed leader is still draining when the Lease may pass to another replica. */
export class StillDrainingError extends Error {
  constructor(marginMs: number) {
    super(
      `lost the Lease and still delivering ${marginMs} ms later (leaseDuration - renewDeadline), when another replica may take over: exiting so that two replicas never deliver at once (the new leader resumes from the checkpoint)`,
    );
    this.name = 'StillDrainingError';
  }
}

/**
 * What the elected replica runs: forwarding from the checkpoint while it
 * leads. SIGTERM stops it (drain, then the checkpoint saved while the Lease
 * is still held; the elector then releases the Lease). Lost leadership stops
 * it too, but the drain must end within leaseDuration - renewDeadline, before
 * another replica can take the Lease; if it does not, this throws, and the
 * process exits as client-go's controllers do. A forwarder that ends on its
 * own (a stream that failed for good) is an error as well: the Lease is
 * released so another replica takes over.
 */
export async function runElected(
  elector: Pick<LeaderElector, 'lead' | 'options'>,
  forwarding: Pick<Forwarding, 'start' | 'stop'>,
  signal: AbortSignal,
): Promise<void> {
  const { leaseDurationMs, renewDeadlineMs } = elector.options;
  const marginMs = leaseDurationMs - renewDeadlineMs;
  await elector.lead(async (stop) => {
    const session = await forwarding.start();
    // Stopped while the sinks were being built: the listener below would never fire.
    const stopped = new Promise<'stop'>((resolve) => {
      if (stop.aborted) resolve('stop');
      stop.addEventListener('abort', () => resolve('stop'), { once: true });
    });
    const ended = session.done.then(
      () => 'ended' as const,
      () => 'ended' as const,
    );
    if ((await Promise.race([stopped, ended])) === 'ended') {
      throw new Error('forwarding ended on its own while leading; releasing the Lease');
    }
    if (stop.reason !== ('leadership lost' satisfies StopReason)) {
      await forwarding.stop();
      return;
    }
    const late = new AbortController();
    const drained = forwarding.stop().then(() => 'drained' as const);
    const timeUp = sleep(marginMs, late.signal).then(() => 'late' as const);
    const first = await Promise.race([drained, timeUp]);
    late.abort();
    if (first === 'late') throw new StillDrainingError(marginMs);
  }, signal);
}
