import type { KubeConfigLike } from '@keventer/core';
import { KubeConfig } from '@kubernetes/client-node';
import type { HighAvailability } from '../high-availability.js';
import {
  checkInClusterCheckpoint,
  checkLeaderElection,
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

/** The CLI's high-availability hook (see src/high-availability.ts). */
export const highAvailability: HighAvailability = {
  checkLeaderElection,
  checkInClusterCheckpoint,

  createInClusterCheckpoint(section, context) {
    const options = checkpointOptionsOf(section as InClusterCheckpointSection);
    return new ConfigMapCheckpointStore(configMapApiOf(clientConfigOf(context.kubeConfig)), {
      ...options,
      writer: process.env.POD_NAME || `pid ${process.pid}`,
      // Without leader election every write is this replica's own.
      mayWrite: () => elector?.holds() ?? true,
    });
  },

  async runWithLeaderElection(section, forwarding, context) {
    const options = electionOptionsOf(section as LeaderElectionSection);
    elector = new LeaderElector(
      leaseApiOf(clientConfigOf(context.kubeConfig)),
      options,
      context.logger,
    );
    await runElected(elector, forwarding, context.signal);
  },
};

/**
 * A client-node KubeConfig for the source's: a kubeconfig path, a
 * KubeConfig as given, core's in-cluster config (the pod's service account,
 * which client-node reads the same way), or the default chain.
 */
function clientConfigOf(source: KubeConfigLike | string | undefined): KubeConfig {
  if (source !== undefined && typeof source === 'object' && 'makeApiClient' in source) {
    return source as unknown as KubeConfig;
  }
  const kc = new KubeConfig();
  if (typeof source === 'string') kc.loadFromFile(source);
  else if (source?.getCurrentContext() === 'in-cluster') kc.loadFromCluster();
  else kc.loadFromDefault();
  return kc;
}
