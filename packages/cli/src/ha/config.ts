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

/** How a field is checked: `name` is a Kubernetes object name (RFC 1123 subdomain). */
export type FieldKind = 'name' | 'text' | 'seconds' | 'wholeSeconds';

export interface SectionField {
  readonly kind: FieldKind;
  readonly description: string;
}

/** The `leaderElection` section's fields: the checker and the JSON Schema both read this table. */
export const LEADER_ELECTION_FIELDS: Record<keyof LeaderElectionSection, SectionField> = {
  namespace: {
    kind: 'name',
    description:
      "the Lease's namespace; default: POD_NAMESPACE, else the service account's namespace",
  },
  leaseName: { kind: 'name', description: "the Lease's name; default: keventer" },
  identity: {
    kind: 'text',
    description: "this replica's holderIdentity; default: POD_NAME (else the host name) _ pid",
  },
  leaseDurationSeconds: {
    kind: 'wholeSeconds',
    description:
      'how long the others wait, after they last saw the Lease renewed, before taking it; default: 15',
  },
  renewDeadlineSeconds: {
    kind: 'seconds',
    description:
      'the leader stops forwarding when it could not renew for this long; below leaseDurationSeconds; default: 10',
  },
  retryPeriodSeconds: {
    kind: 'seconds',
    description:
      'time between two tries to acquire or renew; x1.2 below renewDeadlineSeconds; default: 2',
  },
};

/** The `checkpoint: { type: in-cluster }` section's fields besides `type`. */
export const IN_CLUSTER_CHECKPOINT_FIELDS: Record<
  Exclude<keyof InClusterCheckpointSection, 'type'>,
  SectionField
> = {
  namespace: {
    kind: 'name',
    description: "the ConfigMap's namespace; default: the pod's, as for the Lease",
  },
  name: { kind: 'name', description: "the ConfigMap's name; default: keventer-checkpoint" },
};

/** A Kubernetes object name (RFC 1123 subdomain, at most 253 characters). */
export const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
export const OBJECT_NAME_MAX = 253;
const NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

export function checkLeaderElection(section: unknown): ConfigProblem[] {
  const problems = checkFields(section, LEADER_ELECTION_FIELDS);
  // The timings are compared only when each is a valid number (its own problem is already reported).
  if (problems.some((p) => p.path.length === 0 || String(p.path[0]).endsWith('Seconds'))) {
    return problems;
  }
  const given = section as LeaderElectionSection;
  const lease = given.leaseDurationSeconds ?? 15;
  const renew = given.renewDeadlineSeconds ?? 10;
  const retry = given.retryPeriodSeconds ?? 2;
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
  return checkFields(section, {
    type: { kind: 'text', description: '' },
    ...IN_CLUSTER_CHECKPOINT_FIELDS,
  });
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

function checkFields(section: unknown, fields: Record<string, SectionField>): ConfigProblem[] {
  if (section === null || typeof section !== 'object' || Array.isArray(section)) {
    return [{ path: [], message: 'must be a mapping' }];
  }
  const problems: ConfigProblem[] = [];
  for (const [key, value] of Object.entries(section)) {
    const field = fields[key];
    const problem =
      field === undefined
        ? `unknown key '${key}' (known: ${Object.keys(fields).join(', ')})`
        : fieldProblem(field.kind, value);
    if (problem !== undefined) problems.push({ path: [key], message: problem });
  }
  return problems;
}

function fieldProblem(kind: FieldKind, value: unknown): string | undefined {
  const shown = JSON.stringify(value);
  if (kind === 'text') {
    return typeof value === 'string' && value !== ''
      ? undefined
      : `${shown} is not a non-empty string`;
  }
  if (kind === 'name') {
    return typeof value === 'string' && OBJECT_NAME.test(value) && value.length <= OBJECT_NAME_MAX
      ? undefined
      : `${typeof value === 'string' ? `'${value}'` : shown} is not a Kubernetes object name (lowercase letters, digits, '-' and '.')`;
  }
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    return `${shown} is not a positive number`;
  }
  if (kind === 'wholeSeconds' && !Number.isInteger(value)) {
    return `${value} must be whole seconds (the Lease stores whole seconds)`;
  }
  return undefined;
}
