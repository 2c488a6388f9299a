/**
 * The hook for high availability (leader election and the in-cluster
 * checkpoint store), which lives in `src/ha/`. The CLI loads `./ha/index.js`
 * only when the config file asks for either, and finds there an
 * `HighAvailability` as the named export `highAvailability`.
 */
import type { CheckpointStore, KubeConfigLike, Logger } from '@keventer/core';
import type { Forwarding } from './run.js';

export interface HighAvailabilityContext {
  /** The source's kubeconfig (in-cluster, a file, or the default chain). */
  readonly kubeConfig: KubeConfigLike | string | undefined;
  readonly logger: Logger;
}

export interface HighAvailability {
  createInClusterCheckpoint(section: unknown, context: HighAvailabilityContext): CheckpointStore;
  /**
   * Runs leader election until `signal` aborts: `forwarding.start()` when this
   * replica leads, `await forwarding.stop()` before its lease could expire, and
   * on abort (SIGTERM) the stop and then the lease's release, so another takes over at once.
   */
  runWithLeaderElection(
    section: unknown,
    forwarding: Forwarding,
    context: HighAvailabilityContext & { readonly signal: AbortSignal },
  ): Promise<void>;
}

const HA_MODULE = './ha/index.js';

/** Loads `src/ha/`'s implementation; a clear error when this build has none. */
export async function loadHighAvailability(): Promise<HighAvailability> {
  let mod: { highAvailability?: HighAvailability };
  try {
    mod = (await import(HA_MODULE)) as { highAvailability?: HighAvailability };
  } catch (error) {
    throw new Error(
      `leader election and the in-cluster checkpoint need ${HA_MODULE}, which could not be loaded: ${(error as Error).message}`,
    );
  }
  if (!mod.highAvailability) throw new Error(`${HA_MODULE} exports no highAvailability`);
  return mod.highAvailability;
}
