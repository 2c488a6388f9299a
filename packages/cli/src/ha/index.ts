export { CHECKPOINT_KEY, MAX_CHECKPOINT_BYTES } from './checkpoint-codec.js';
export {
  type ConfigMapCheckpointOptions,
  ConfigMapCheckpointStore,
  NotLeaderError,
} from './configmap-checkpoint-store.js';
export { highAvailability } from './high-availability.js';
export { type ConfigMapApi, configMapApiOf, type LeaseApi, leaseApiOf } from './kube-api.js';
export { LeaderElector, type StopReason } from './leader-elector.js';
export { ELECTION_DEFAULTS, type ElectionOptions, resolveElectionOptions } from './options.js';
