import type {
  DedupOptions,
  DeliveryInput,
  FilterSpec,
  HealthThresholds,
  KubeConfigLike,
  Since,
} from '@keventer/core';

/**
 * The resolved configuration: what the command line and the config file say,
 * checked, with defaults, and nothing built yet. Sinks are kept as their
 * specs because a forwarder closes its sinks when it stops: every start (on
 * each leadership) builds fresh ones from here.
 */
export interface ForwardingPlan {
  readonly source: SourcePlan;
  readonly routes: readonly RoutePlan[];
  /** How long a stop waits for buffered and in-flight events. @default 30000 */
  readonly drainTimeoutMs: number;
  readonly health?: HealthThresholds;
}

/** Where the events come from: EventStream's options, minus those the runner owns. */
export interface SourcePlan {
  /** Loaded once (in-cluster token files are re-read by it when they rotate). */
  readonly kubeConfig?: KubeConfigLike | string;
  /** For logs and the dry run: where the kubeconfig came from, without credentials. */
  readonly describe: string;
  readonly apiGroup?: 'core/v1' | 'events.k8s.io/v1';
  readonly namespace?: string;
  readonly fieldSelector?: string;
  readonly labelSelector?: string;
  readonly since?: Since;
}

/** A sink as a kube-eventer URI, or as its package's name and options object. */
export type SinkSpec =
  | { readonly uri: string }
  | { readonly type: string; readonly options: Readonly<Record<string, unknown>> };

export interface RoutePlan {
  readonly name?: string;
  readonly sink: SinkSpec;
  readonly filter?: FilterSpec;
  readonly dedup?: DedupOptions;
  readonly delivery?: DeliveryInput;
}
