import type { Logger } from '@keventer/core';
import type { Forwarding } from '../run.js';
import type { LeaderElector } from './leader-elector.js';

/**
 * What the elected replica runs: forwarding from the checkpoint while it
 * leads. Lost leadership or SIGTERM stops it (drain, then the checkpoint
 * saved while the Lease is still held); the elector then releases the Lease.
 * A forwarder that ends on its own (a stream that failed for good) is an
 * error: the Lease is released and the process exits, so another replica
 * takes over.
 */
export async function runElected(
  elector: LeaderElector,
  forwarding: Forwarding,
  signal: AbortSignal,
  logger: Logger,
): Promise<void> {
  const { leaseDurationMs, renewDeadlineMs } = elector.options;
  const margin = leaseDurationMs - renewDeadlineMs;
  if (forwarding.plan.drainTimeoutMs !== undefined && forwarding.plan.drainTimeoutMs > margin) {
    logger.warn(
      { drainTimeoutMs: forwarding.plan.drainTimeoutMs, marginMs: margin },
      'drainTimeoutMs is longer than leaseDuration - renewDeadline: a leader that loses its Lease may still be draining when the next one starts (duplicates, never losses)',
    );
  }
  await elector.lead(async (stop) => {
    const session = await forwarding.start();
    const stopped = new Promise<'stop'>((resolve) =>
      stop.addEventListener('abort', () => resolve('stop'), { once: true }),
    );
    const first = await Promise.race([stopped, session.done.then(() => 'ended' as const)]);
    if (first === 'stop') {
      await forwarding.stop();
      return;
    }
    throw new Error(
      'forwarding ended on its own while leading (see the error above); releasing the Lease',
    );
  }, signal);
}
