import type { KubeEvent } from '../event/model.js';

/** What counts as a duplicate. */
export type DedupMode = 'occurrence' | 'firstOnly' | 'cooldown';

interface DedupBounds {
  /**
   * Most keys remembered; the least recently seen is forgotten first.
   * @default 10_000
   */
  maxEntries?: number;
  /** Clock in milliseconds, for tests. @default performance.now (monotonic) */
  now?: () => number;
}

export interface UidDedupOptions extends DedupBounds {
  /**
   * `occurrence`: each occurrence once (count or lastTimestamp must rise);
   * `firstOnly`: only the first sighting of each event object.
   * @default 'occurrence'
   */
  mode?: 'occurrence' | 'firstOnly';
  /**
   * How long an event object is remembered after it was last seen.
   * @default 3_600_000 (Kubernetes' default event TTL: one hour)
   */
  ttlMs?: number;
}

export interface CooldownDedupOptions extends DedupBounds {
  /** At most one event per key within `windowMs` of the last one let through. */
  mode: 'cooldown';
  windowMs: number;
  /** @default `<namespace>/<kind>/<name>/<reason>` of the involved object */
  key?: (event: KubeEvent) => string;
}

export type DedupOptions = UidDedupOptions | CooldownDedupOptions;

/** Options that cannot make a working dedup. */
export class DedupOptionsError extends Error {
  override readonly name = 'DedupOptionsError';

  constructor(
    readonly field: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(`[keventer] [dedup] ${field}: ${reason} (got ${show(value)})`);
  }
}

export interface ResolvedDedup {
  readonly mode: DedupMode;
  readonly maxEntries: number;
  /** Cooldown window or uid TTL: how long an entry stays in force. */
  readonly ttlMs: number;
  readonly now: () => number;
  readonly key: ((event: KubeEvent) => string) | undefined;
}

const MODES: readonly DedupMode[] = ['occurrence', 'firstOnly', 'cooldown'];
const HOUR_MS = 3_600_000;

/** Every field as it may arrive from plain JavaScript or a config file. */
type Loose = { [K in 'mode' | 'windowMs' | 'ttlMs' | 'key' | 'now' | 'maxEntries']?: unknown };

export function resolveDedupOptions(options: DedupOptions): ResolvedDedup {
  const o = options as Loose;
  const mode = o.mode ?? 'occurrence';
  if (!MODES.includes(mode as DedupMode)) {
    throw new DedupOptionsError('mode', mode, `expected one of ${MODES.join(', ')}`);
  }
  const cooldown = mode === 'cooldown';
  // Fail fast on options the mode would silently ignore.
  if (!cooldown && o.windowMs !== undefined) refuse('windowMs', o.windowMs, "mode 'cooldown'");
  if (!cooldown && o.key !== undefined) refuse('key', o.key, "mode 'cooldown'");
  if (cooldown && o.ttlMs !== undefined)
    refuse('ttlMs', o.ttlMs, 'uid modes (a cooldown entry lasts windowMs)');
  const key = optionalFunction(o.key, 'key', '(event) => string');
  const now = optionalFunction(o.now, 'now', '() => number') ?? (() => performance.now());
  const maxEntries = o.maxEntries ?? 10_000;
  if (typeof maxEntries !== 'number' || !Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new DedupOptionsError('maxEntries', maxEntries, 'expected an integer >= 1');
  }
  const ttlMs = cooldown ? o.windowMs : (o.ttlMs ?? HOUR_MS);
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    const field = cooldown ? 'windowMs' : 'ttlMs';
    throw new DedupOptionsError(field, ttlMs, 'expected a finite number of milliseconds > 0');
  }
  return {
    mode: mode as DedupMode,
    maxEntries,
    ttlMs,
    now: now as () => number,
    key: key as ((event: KubeEvent) => string) | undefined,
  };
}

function optionalFunction(value: unknown, field: string, shape: string) {
  if (value !== undefined && typeof value !== 'function') {
    throw new DedupOptionsError(field, value, `expected a function ${shape}`);
  }
  return value;
}

function refuse(field: string, value: unknown, appliesTo: string): never {
  throw new DedupOptionsError(field, value, `only applies to ${appliesTo}`);
}

function show(value: unknown): string {
  return typeof value === 'function'
    ? 'a function'
    : typeof value === 'string'
      ? `'${value}'`
      : String(value);
}
