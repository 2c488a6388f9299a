import type { LogFormat, LogLevel } from '../flags/cli-options.js';
import type { RoutePlan, SourcePlan } from '../plan.js';

/** The config file after checking: every section optional, values converted (durations to ms). */
export interface CheckedConfig {
  readonly source?: SourceSection;
  readonly routes: readonly RoutePlan[];
  readonly checkpoint?: CheckpointSection;
  /** Checked by the high-availability module (src/ha/). */
  readonly leaderElection?: unknown;
  readonly log?: { readonly format?: LogFormat; readonly level?: LogLevel };
  readonly healthz?: { readonly ip?: string; readonly port?: number };
  readonly eventMetrics?: boolean;
  readonly drainTimeoutMs?: number;
  readonly health?: { readonly streamDownMs?: number; readonly sinkFailingMs?: number };
}

/** `uri` is kube-eventer's --source; `kubeconfig` a file; neither: KUBECONFIG, ~/.kube/config, in-cluster. */
export type SourceSection = Omit<SourcePlan, 'kubeConfig' | 'describe'> & {
  readonly uri?: string;
  readonly kubeconfig?: string;
};

export type CheckpointSection =
  | { readonly type: 'file'; readonly path: string }
  /** The whole section, for the high-availability module. */
  | { readonly type: 'in-cluster'; readonly section: Readonly<Record<string, unknown>> };
