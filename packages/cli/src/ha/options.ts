import { hostname } from 'node:os';

/** Leader election settings; the defaults are client-go's (15 s / 10 s / 2 s). */
export interface ElectionOptions {
  /** The Lease's namespace: the one the CLI runs in. */
  namespace: string;
  /** The Lease's name. @default 'keventer' */
  leaseName?: string;
  /** This replica's name in `holderIdentity`. @default POD_NAME, else the host name, plus the pid */
  identity?: string;
  /** How long others wait, after they last saw the Lease renewed, before taking it. @default 15000 */
  leaseDurationMs?: number;
  /** The leader stops forwarding when it could not renew for this long; must be below leaseDurationMs. @default 10000 */
  renewDeadlineMs?: number;
  /** Time between two tries to acquire or renew. @default 2000 */
  retryPeriodMs?: number;
}

export type ResolvedElectionOptions = Required<ElectionOptions>;

export const ELECTION_DEFAULTS = {
  leaseName: 'keventer',
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
} as const;

/** A Kubernetes object name (RFC 1123 subdomain). */
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** Fills in the defaults and refuses settings under which two replicas could forward at once. */
export function resolveElectionOptions(options: ElectionOptions): ResolvedElectionOptions {
  const resolved = {
    ...ELECTION_DEFAULTS,
    identity: defaultIdentity(),
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  } as ResolvedElectionOptions;
  const problems: string[] = [];
  for (const key of ['namespace', 'leaseName'] as const) {
    const value = resolved[key];
    if (typeof value !== 'string' || !OBJECT_NAME.test(value) || value.length > 253) {
      problems.push(`${key} '${value}' is not a Kubernetes object name`);
    }
  }
  if (typeof resolved.identity !== 'string' || resolved.identity === '') {
    problems.push('identity must be a non-empty string');
  }
  for (const key of ['leaseDurationMs', 'renewDeadlineMs', 'retryPeriodMs'] as const) {
    const value = resolved[key];
    if (!Number.isInteger(value) || value < 100)
      problems.push(`${key} ${value} must be an integer >= 100`);
  }
  const { leaseDurationMs, renewDeadlineMs, retryPeriodMs } = resolved;
  // Lease durations travel in whole seconds.
  if (leaseDurationMs % 1000 !== 0)
    problems.push(`leaseDurationMs ${leaseDurationMs} must be whole seconds`);
  // client-go's rules: the margin leaseDuration - renewDeadline is what keeps two leaders apart.
  if (!(renewDeadlineMs < leaseDurationMs)) {
    problems.push(
      `renewDeadlineMs ${renewDeadlineMs} must be below leaseDurationMs ${leaseDurationMs}`,
    );
  }
  if (!(retryPeriodMs * 1.2 < renewDeadlineMs)) {
    problems.push(
      `retryPeriodMs ${retryPeriodMs} (x1.2 jitter) must be below renewDeadlineMs ${renewDeadlineMs}`,
    );
  }
  if (problems.length > 0) throw new RangeError(`leader election: ${problems.join('; ')}`);
  return resolved;
}

function defaultIdentity(): string {
  return `${process.env.POD_NAME || hostname()}_${process.pid}`;
}
