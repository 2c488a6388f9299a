import type { KubeConfigLike } from '@keventer/core';
import { type KubeConfigSource, loadKubeConfig } from '@keventer/core/kit';
import type { HighAvailability } from '../high-availability.js';
import {
  checkpointOptionsOf,
  electionOptionsOf,
  type InClusterCheckpointSection,
  type LeaderElectionSection,
} from './config.js';
import { ConfigMapCheckpointStore } from './configmap-checkpoint-store.js';
import { runElected } from './elected-forwarding.js';
import { configMapApiOf, leaseApiOf } from './kube-api.js';
import { LeaderElector } from './leader-elector.js';

/**
 * The elector of this process, once leader election runs: the checkpoint
 * store asks it before each write, so a deposed leader's saves are refused.
 */
let elector: LeaderElector | undefined;

/** The source's config, loaded once for the Lease and the ConfigMap (a kubeconfig's exec plugin runs once). */
let loaded: { source: KubeConfigSource; config: KubeConfigLike } | undefined;
function kubeConfigOf(source: KubeConfigSource): KubeConfigLike {
  if (loaded === undefined || loaded.source !== source) {
    loaded = { source, config: loadKubeConfig(source) };
  }
  return loaded.config;
}

/**
 * The CLI's high-availability hook (see src/high-availability.ts). The Lease
 * and the ConfigMap go to the cluster the events come from, the way they do:
 * core's loadKubeConfig of the same source (the URI's master, `insecure`,
 * the service-account directory, a kubeconfig file, or the default chain).
 */
export const highAvailability: HighAvailability = {
  createInClusterCheckpoint(section, context) {
    const options = checkpointOptionsOf(section as InClusterCheckpointSection);
    return new ConfigMapCheckpointStore(configMapApiOf(kubeConfigOf(context.kubeConfig)), {
      ...options,
      writer: process.env.POD_NAME || `pid ${process.pid}`,
      // Without leader election every write is this replica's own.
      mayWrite: () => elector?.holds() ?? true,
    });
  },

  async runWithLeaderElection(section, forwarding, context) {
    const options = electionOptionsOf(section as LeaderElectionSection);
    elector = new LeaderElector(
      leaseApiOf(kubeConfigOf(context.kubeConfig)),
      options,
      context.logger,
    );
    await runElected(elector, forwarding, context.signal);
  },
};
