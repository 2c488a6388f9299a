import type { KubeConfig } from '@kubernetes/client-node';
import type { EventApiGroup } from '../event/wire.js';
import { type Logger, silentLogger } from '../logger.js';
import type { BackoffOptions } from './backoff.js';
import type { CheckpointStore } from './checkpoint.js';
import { type Since, sinceToCutoffMs } from './since.js';

export interface EventStreamOptions {
  /** A KubeConfig, a kubeconfig file path, or (default) KUBECONFIG / ~/.kube/config / in-cluster. */
  kubeConfig?: KubeConfig | string;
  /** @default 'core/v1' */
  apiGroup?: EventApiGroup;
  /** Only this namespace's events. @default all namespaces */
  namespace?: string;
  /** Passed to the API server, e.g. 'type=Warning'. */
  fieldSelector?: string;
  labelSelector?: string;
  /**
   * Where to start without a checkpoint: 'now' (only occurrences after start, as
   * kube-eventer), 'all' (everything stored), a Date, or a duration ('15m', ms).
   * @default 'now'
   */
  since?: Since;
  /** Resume from and save to this store, so a restart neither repeats nor loses occurrences. */
  checkpoint?: CheckpointStore;
  /** @default 5000 */
  checkpointIntervalMs?: number;
  /**
   * 'auto': an event counts as handled when the consumer asks for the next one.
   * 'manual': only when {@link EventStream.ack} is called (for asynchronous delivery).
   * @default 'auto'
   */
  ack?: 'auto' | 'manual';
  /** List page size. @default 500 */
  pageSize?: number;
  /** The server ends each watch after this long; the stream reopens it from its position. @default 60 */
  watchTimeoutSeconds?: number;
  /** Reconnect when nothing (not even a bookmark) arrived for this long. Must exceed the watch timeout. @default 90000 */
  stallTimeoutMs?: number;
  /** Timeout of one list request. @default 30000 */
  requestTimeoutMs?: number;
  backoff?: BackoffOptions;
  /**
   * How many event uids to remember, to tell a new occurrence from an update
   * that is none (and after a relist, what was emitted). Past it the least
   * recently seen uid is forgotten; its next update may then pass as new. A
   * cluster keeps events for an hour: size it to the events of an hour.
   * @default 20000
   */
  seenCapacity?: number;
  signal?: AbortSignal;
  logger?: Logger;
}

export type ResolvedStreamOptions = Required<
  Omit<
    EventStreamOptions,
    'kubeConfig' | 'checkpoint' | 'signal' | 'namespace' | 'fieldSelector' | 'labelSelector'
  >
> &
  Pick<
    EventStreamOptions,
    'checkpoint' | 'signal' | 'namespace' | 'fieldSelector' | 'labelSelector'
  >;

function positive(name: string, value: number): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new RangeError(
      `EventStream option ${name} must be a positive number, got ${String(value)}`,
    );
  }
  return value;
}

export function resolveStreamOptions(options: EventStreamOptions): ResolvedStreamOptions {
  const resolved = {
    apiGroup: options.apiGroup ?? 'core/v1',
    since: options.since ?? 'now',
    checkpointIntervalMs: positive('checkpointIntervalMs', options.checkpointIntervalMs ?? 5000),
    ack: options.ack ?? 'auto',
    pageSize: positive('pageSize', options.pageSize ?? 500),
    watchTimeoutSeconds: positive('watchTimeoutSeconds', options.watchTimeoutSeconds ?? 60),
    stallTimeoutMs: positive('stallTimeoutMs', options.stallTimeoutMs ?? 90_000),
    requestTimeoutMs: positive('requestTimeoutMs', options.requestTimeoutMs ?? 30_000),
    backoff: options.backoff ?? {},
    seenCapacity: positive('seenCapacity', options.seenCapacity ?? 20_000),
    logger: options.logger ?? silentLogger,
    checkpoint: options.checkpoint,
    signal: options.signal,
    namespace: options.namespace,
    fieldSelector: options.fieldSelector,
    labelSelector: options.labelSelector,
  };
  if (resolved.apiGroup !== 'core/v1' && resolved.apiGroup !== 'events.k8s.io/v1') {
    throw new RangeError(
      `EventStream option apiGroup must be 'core/v1' or 'events.k8s.io/v1', got '${resolved.apiGroup}'`,
    );
  }
  sinceToCutoffMs(resolved.since); // throws on an invalid value, naming it
  if (resolved.ack !== 'auto' && resolved.ack !== 'manual') {
    throw new RangeError(
      `EventStream option ack must be 'auto' or 'manual', got '${resolved.ack}'`,
    );
  }
  // Bookmarks may come only just before the server closes a watch (Kubernetes < 1.27), so a
  // stall timeout below the watch timeout would reconnect healthy, quiet watches.
  if (resolved.stallTimeoutMs <= resolved.watchTimeoutSeconds * 1000) {
    throw new RangeError(
      `EventStream option stallTimeoutMs (${resolved.stallTimeoutMs}) must exceed watchTimeoutSeconds (${resolved.watchTimeoutSeconds}) in ms`,
    );
  }
  return resolved as ResolvedStreamOptions;
}
