import type { EventApiGroup } from '../event/wire.js';
import { type Logger, silentLogger } from '../logger.js';
import { hasMethods, isRecord, OptionProblems } from '../options-check.js';
import type { BackoffOptions } from '../time/backoff.js';
import type { CheckpointStore } from './checkpoint.js';
import type { KubeConfigLike } from './kube-config-like.js';
import { type Since, sinceToCutoffMs } from './since.js';

export interface EventStreamOptions {
  /** A KubeConfig, a kubeconfig file path, or (default) KUBECONFIG / ~/.kube/config / in-cluster. */
  kubeConfig?: KubeConfigLike | string;
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
  /**
   * The longest watch line accepted. Kubernetes stores objects of up to about
   * 1.5 MiB (etcd's limit); a longer line is counted as malformed, logged with
   * its size, and the watch reopened. @default 16777216 (16 MiB)
   */
  maxLineBytes?: number;
  /** The largest list page accepted; past it the list fails and is retried after a backoff. @default 67108864 (64 MiB) */
  maxListPageBytes?: number;
  /** The most pages one list may take (a server that keeps sending continue tokens); past it the list fails and is retried after a backoff. @default 10000 */
  maxListPages?: number;
  /** Stops the stream when aborted (also when already aborted). */
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

const DEFAULTS = {
  apiGroup: 'core/v1',
  since: 'now',
  checkpointIntervalMs: 5000,
  ack: 'auto',
  pageSize: 500,
  watchTimeoutSeconds: 60,
  stallTimeoutMs: 90_000,
  requestTimeoutMs: 30_000,
  seenCapacity: 20_000,
  maxLineBytes: 16 * 1024 * 1024,
  maxListPageBytes: 64 * 1024 * 1024,
  maxListPages: 10_000,
} as const;

const KNOWN_OPTIONS: readonly (keyof EventStreamOptions)[] = [
  'kubeConfig',
  ...(Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]),
  'namespace',
  'fieldSelector',
  'labelSelector',
  'checkpoint',
  'backoff',
  'signal',
  'logger',
];

/** Node's timers overflow past this (and then fire after 1 ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;
const LOGGER_METHODS = ['debug', 'info', 'warn', 'error'] as const;

/** Checks a number option: finite, above zero, an integer when `integer`, within timers when `timer`. */
function checkNumber(
  problems: OptionProblems,
  name: string,
  value: unknown,
  { integer = false, timerMs = false } = {},
): void {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value > 0 &&
    (!integer || Number.isInteger(value)) &&
    (!timerMs || value <= MAX_TIMER_MS);
  if (ok) return;
  const expected = integer ? 'a positive integer' : 'a positive number';
  problems.add(name, value, timerMs ? `${expected} of ms up to ${MAX_TIMER_MS}` : expected);
}

function checkOneOf(problems: OptionProblems, name: string, value: unknown, allowed: string[]) {
  if (!allowed.includes(value as string)) {
    problems.add(name, value, allowed.map((a) => `'${a}'`).join(' or '));
  }
}

function checkBackoff(problems: OptionProblems, backoff: unknown): void {
  if (!isRecord(backoff)) {
    problems.add('backoff', backoff, 'an object such as { initialMs: 500, maxMs: 30000 }');
    return;
  }
  problems.unknownKeys('backoff', backoff, ['initialMs', 'maxMs']);
  const { initialMs = 500, maxMs = 30_000 } = backoff;
  checkNumber(problems, 'backoff.initialMs', initialMs, { timerMs: true });
  checkNumber(problems, 'backoff.maxMs', maxMs, { timerMs: true });
  if (typeof initialMs === 'number' && typeof maxMs === 'number' && initialMs > maxMs) {
    problems.note(`backoff.initialMs (${initialMs}) must not exceed backoff.maxMs (${maxMs})`);
  }
}

/** Checks every option and throws one OptionsError naming each bad value, or returns them with defaults. */
export function resolveStreamOptions(options: EventStreamOptions): ResolvedStreamOptions {
  const problems = new OptionProblems('new EventStream');
  if (!isRecord(options)) {
    problems.add('options', options, 'an object');
    problems.throwIfAny();
  }
  problems.unknownKeys('', options, KNOWN_OPTIONS);
  const resolved = { ...DEFAULTS, backoff: {}, logger: silentLogger, ...definedOnly(options) };
  const { kubeConfig } = options;
  if (
    kubeConfig !== undefined &&
    !(typeof kubeConfig === 'string' && kubeConfig !== '') &&
    !hasMethods(kubeConfig, ['getCurrentCluster', 'applyToHTTPSOptions'])
  ) {
    problems.add(
      'kubeConfig',
      kubeConfig,
      'a KubeConfig from @kubernetes/client-node or a kubeconfig file path',
    );
  }
  checkOneOf(problems, 'apiGroup', resolved.apiGroup, ['core/v1', 'events.k8s.io/v1']);
  checkOneOf(problems, 'ack', resolved.ack, ['auto', 'manual']);
  for (const name of ['namespace', 'fieldSelector', 'labelSelector'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'string') {
      problems.add(name, options[name], 'a string');
    }
  }
  try {
    sinceToCutoffMs(resolved.since);
  } catch (error) {
    problems.note(`since: ${(error as Error).message}`);
  }
  for (const name of ['checkpointIntervalMs', 'stallTimeoutMs', 'requestTimeoutMs'] as const) {
    checkNumber(problems, name, resolved[name], { timerMs: true });
  }
  checkNumber(problems, 'watchTimeoutSeconds', resolved.watchTimeoutSeconds);
  for (const name of [
    'pageSize',
    'seenCapacity',
    'maxLineBytes',
    'maxListPageBytes',
    'maxListPages',
  ] as const) {
    checkNumber(problems, name, resolved[name], { integer: true });
  }
  checkBackoff(problems, resolved.backoff);
  if (options.checkpoint !== undefined && !hasMethods(options.checkpoint, ['load', 'save'])) {
    problems.add(
      'checkpoint',
      options.checkpoint,
      'a CheckpointStore (with load and save methods)',
    );
  }
  const { signal } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    problems.add('signal', signal, 'an AbortSignal');
  }
  if (!hasMethods(resolved.logger, LOGGER_METHODS)) {
    const hint =
      typeof resolved.logger === 'function'
        ? '; a function: pass the logger it makes, e.g. consoleLogger() rather than consoleLogger'
        : '';
    problems.add(
      'logger',
      resolved.logger,
      `an object with ${LOGGER_METHODS.join(', ')} methods (pino-compatible)`,
      hint,
    );
  }
  // Bookmarks may come only just before the server closes a watch (Kubernetes < 1.27), so a
  // stall timeout below the watch timeout would reconnect healthy, quiet watches.
  const { stallTimeoutMs, watchTimeoutSeconds } = resolved;
  if (
    typeof stallTimeoutMs === 'number' &&
    typeof watchTimeoutSeconds === 'number' &&
    stallTimeoutMs <= watchTimeoutSeconds * 1000
  ) {
    problems.note(
      `stallTimeoutMs (${stallTimeoutMs}) must exceed watchTimeoutSeconds (${watchTimeoutSeconds}) in ms: raise stallTimeoutMs or lower watchTimeoutSeconds`,
    );
  }
  problems.throwIfAny();
  return resolved as ResolvedStreamOptions;
}

/** The options given, without keys set to undefined (those take the default). */
function definedOnly(options: EventStreamOptions): EventStreamOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
