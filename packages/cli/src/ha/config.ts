import { readFileSync } from 'node:fs';
import type { ConfigProblem } from '../config/problems.js';
import type { ConfigMapCheckpointOptions } from './configmap-checkpoint-store.js';
import { type ElectionOptions, resolveElectionOptions } from './options.js';

/**
 * The config file's `leaderElection` section, in seconds like client-go's
 * flags (--leader-elect-lease-duration=15s):
 *
 *   leaderElection:
 *     namespace: keventer          # default: the pod's namespace
 *     leaseName: keventer
 *     leaseDurationSeconds: 15
 *     renewDeadlineSeconds: 10
 *     retryPeriodSeconds: 2
 */
export interface LeaderElectionSection {
  namespace?: string;
  leaseName?: string;
  identity?: string;
  leaseDurationSeconds?: number;
  renewDeadlineSeconds?: number;
  retryPeriodSeconds?: number;
}

/** `checkpoint: { type: in-cluster, namespace?, name? }`: the ConfigMap beside the Lease. */
export interface InClusterCheckpointSection {
  type: 'in-cluster';
  namespace?: string;
  name?: string;
}

const ELECTION_KEYS: Record<keyof LeaderElectionSection, 'string' | 'number'> = {
  namespace: 'string',
  leaseName: 'string',
  identity: 'string',
  leaseDurationSeconds: 'number',
  renewDeadlineSeconds: 'number',
  retryPeriodSeconds: 'number',
};
const CHECKPOINT_KEYS = { type: 'string', namespace: 'string', name: 'string' } as const;
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

export function checkLeaderElection(section: unknown): ConfigProblem[] {
  const problems = checkShape(section, ELECTION_KEYS);
  if (problems.length > 0) return problems;
  const given = section as LeaderElectionSection;
  for (const key of ['namespace', 'leaseName'] as const) {
    const value = given[key];
    if (value !== undefined && !OBJECT_NAME.test(value)) {
      problems.push({ path: [key], message: `'${value}' is not a Kubernetes object name` });
    }
  }
  const lease = given.leaseDurationSeconds ?? 15;
  const renew = given.renewDeadlineSeconds ?? 10;
  const retry = given.retryPeriodSeconds ?? 2;
  if (!Number.isInteger(lease)) {
    problems.push({
      path: ['leaseDurationSeconds'],
      message: `${lease} must be whole seconds (the Lease stores whole seconds)`,
    });
  }
  // The margin lease - renew deadline is what keeps a deposed leader from forwarding beside the new one.
  if (!(renew < lease)) {
    problems.push({
      path: ['renewDeadlineSeconds'],
      message: `${renew} must be below leaseDurationSeconds (${lease})`,
    });
  }
  if (!(retry * 1.2 < renew)) {
    problems.push({
      path: ['retryPeriodSeconds'],
      message: `${retry} (x1.2 jitter) must be below renewDeadlineSeconds (${renew})`,
    });
  }
  return problems;
}

export function checkInClusterCheckpoint(section: unknown): ConfigProblem[] {
  const problems = checkShape(section, CHECKPOINT_KEYS);
  const { name } = (section ?? {}) as InClusterCheckpointSection;
  if (typeof name === 'string' && !OBJECT_NAME.test(name)) {
    problems.push({ path: ['name'], message: `'${name}' is not a ConfigMap name` });
  }
  return problems;
}

/** The elector's options from a checked section. */
export function electionOptionsOf(section: LeaderElectionSection): ElectionOptions {
  const ms = (seconds: number | undefined) =>
    seconds === undefined ? undefined : Math.round(seconds * 1000);
  const options: ElectionOptions = {
    namespace: section.namespace ?? podNamespace() ?? missingNamespace(),
    ...(section.leaseName !== undefined && { leaseName: section.leaseName }),
    ...(section.identity !== undefined && { identity: section.identity }),
    ...(section.leaseDurationSeconds !== undefined && {
      leaseDurationMs: ms(section.leaseDurationSeconds),
    }),
    ...(section.renewDeadlineSeconds !== undefined && {
      renewDeadlineMs: ms(section.renewDeadlineSeconds),
    }),
    ...(section.retryPeriodSeconds !== undefined && {
      retryPeriodMs: ms(section.retryPeriodSeconds),
    }),
  };
  resolveElectionOptions(options); // throws, naming the values, on what could let two replicas forward
  return options;
}

export function checkpointOptionsOf(
  section: InClusterCheckpointSection,
): Omit<ConfigMapCheckpointOptions, 'writer' | 'mayWrite'> {
  return {
    namespace: section.namespace ?? podNamespace() ?? missingNamespace(),
    ...(section.name !== undefined && { name: section.name }),
  };
}

/** The pod's namespace: POD_NAMESPACE (the downward API), else the service account's mount. */
function podNamespace(): string | undefined {
  if (process.env.POD_NAMESPACE) return process.env.POD_NAMESPACE;
  try {
    return readFileSync(NAMESPACE_FILE, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function missingNamespace(): never {
  throw new Error(
    'no namespace for the Lease and checkpoint: set leaderElection.namespace (and checkpoint.namespace), or POD_NAMESPACE; in a pod it is read from the service account',
  );
}

function checkShape(section: unknown, keys: Record<string, string>): ConfigProblem[] {
  if (section === null || typeof section !== 'object' || Array.isArray(section)) {
    return [{ path: [], message: 'must be a mapping' }];
  }
  const problems: ConfigProblem[] = [];
  for (const [key, value] of Object.entries(section)) {
    const type = keys[key];
    if (type === undefined) {
      problems.push({
        path: [key],
        message: `unknown key '${key}' (known: ${Object.keys(keys).join(', ')})`,
      });
    } else if (
      typeof value !== type ||
      (type === 'number' && !(Number.isFinite(value) && (value as number) > 0))
    ) {
      problems.push({
        path: [key],
        message: `${JSON.stringify(value)} is not ${type === 'number' ? 'a positive number' : `a ${type}`}`,
      });
    }
  }
  return problems;
}
