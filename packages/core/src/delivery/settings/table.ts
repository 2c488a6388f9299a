import type { AggregateBy } from '../../aggregate/keys.js';
import type { DeliveryDefaults } from '../../sink/contract/delivery.js';
import { count, milliseconds, oneOf, type SettingRule } from './values.js';

/**
 * Every delivery setting: its rule, core default and one-line description.
 * The one place the names live; parsing, validation, merging and docs read it.
 */

type Group = keyof DeliveryDefaults;
type Fields<G extends Group> = NonNullable<DeliveryDefaults[G]>;

/** Fully resolved settings: the shape of DeliveryDefaults with every field present. */
export type DeliverySettings = {
  readonly [G in Group]-?: { readonly [F in keyof Fields<G>]-?: NonNullable<Fields<G>[F]> };
};

/** Settings given in code: any subset, the same shape a sink declares its defaults in. */
export type DeliveryInput = DeliveryDefaults;

type WhenFull = DeliverySettings['buffer']['whenFull'];

export interface SettingSpec<T> {
  readonly rule: SettingRule<T>;
  readonly default: T;
  readonly description: string;
}

type Table = {
  readonly [G in Group]: {
    readonly [F in keyof DeliverySettings[G]]: SettingSpec<DeliverySettings[G][F]>;
  };
};

const WHEN_FULL = ['block', 'dropOldest', 'dropNewest'] as const satisfies readonly WhenFull[];
const AGGREGATE_BY = ['owner', 'object'] as const satisfies readonly AggregateBy[];
const positive = count({ min: 1 });
const ms = milliseconds();

// Why each default is what it is: docs/delivery-settings.md.
export const SETTINGS: Table = {
  batch: {
    // One request for a burst, still a small body.
    maxEvents: { rule: positive, default: 100, description: 'Most events in one batch.' },
    // Under common request body limits (nginx's default is 1 MB).
    maxBytes: {
      rule: positive,
      default: 1_000_000,
      description: 'Most bytes in one batch (estimated size of the events as JSON).',
    },
    // An event waits at most a second: near real time. 0 is allowed: send what is there.
    timeoutMs: {
      rule: milliseconds({ zero: true }),
      default: 1000,
      description: 'How long the first event of a batch waits for it to fill (0: send at once).',
    },
  },
  buffer: {
    // ~10-20 MB of events: absorbs a burst or a short sink outage.
    maxEvents: { rule: positive, default: 10_000, description: 'Most events queued for the sink.' },
    // Nothing is lost by default: reading events pauses instead.
    whenFull: {
      rule: oneOf(WHEN_FULL),
      default: 'block',
      description: 'When the buffer is full: pause reading, drop the oldest or the new event.',
    },
  },
  request: {
    // One batch at a time keeps events in order.
    concurrency: { rule: positive, default: 1, description: 'Batches in flight at once.' },
    // Far above a healthy response time, short enough to notice a hung connection.
    timeoutMs: { rule: ms, default: 30_000, description: 'Longest one attempt may take.' },
    // Most services publish no limit; chat robots set theirs in a profile.
    rateLimitNum: {
      rule: count({ min: 1, unlimited: true }),
      default: Infinity,
      description: 'Most batches started per rateLimitDurationMs (retries not counted).',
    },
    rateLimitDurationMs: {
      rule: ms,
      default: 1000,
      description: 'The rolling window rateLimitNum counts in.',
    },
    // The time budget below is the bound people reason about; a count would depend on backoff.
    retryAttempts: {
      rule: count({ min: 0, unlimited: true }),
      default: Infinity,
      description: 'Retries of a failed batch after its first attempt (0: none).',
    },
    // A blip is retried quickly.
    retryInitialBackoffMs: {
      rule: ms,
      default: 500,
      description: 'Ceiling of the first backoff; it doubles per retry, up to 30 s.',
    },
    // A sink outage of up to 5 minutes loses nothing.
    retryMaxDurationMs: {
      rule: ms,
      default: 300_000,
      description: 'Time budget for retrying a batch, from its first attempt.',
    },
  },
  aggregate: {
    // Off unless a sink read by people asks for it: data sinks want every occurrence.
    windowMs: {
      rule: milliseconds({ zero: true }),
      default: 0,
      description:
        'Repeats of a key within this window after its first event become one digest (0: off).',
    },
    // A crash-looping Deployment is one alert, not one per replica.
    by: {
      rule: oneOf(AGGREGATE_BY),
      default: 'owner',
      description:
        'The key: namespace + owner (Pod name without its generated suffix) + reason, or the object itself.',
    },
    // Held events are not yet checkpointed; past this the oldest window closes early.
    maxEvents: {
      rule: positive,
      default: 10_000,
      description:
        'Most occurrences held in open windows; beyond it the oldest window is sent early.',
    },
  },
};

export interface SettingEntry {
  readonly group: Group;
  readonly field: string;
  /** `batch.maxEvents`: the name in a URI and in messages. */
  readonly path: string;
  readonly spec: SettingSpec<unknown>;
}

export const GROUPS = Object.keys(SETTINGS) as Group[];

export const ENTRIES: readonly SettingEntry[] = GROUPS.flatMap((group) =>
  Object.entries(SETTINGS[group]).map(([field, spec]) => ({
    group,
    field,
    path: `${group}.${field}`,
    spec: spec as SettingSpec<unknown>,
  })),
);

/** A Map, so a key such as 'batch.constructor' cannot reach Object.prototype. */
export const BY_PATH: ReadonlyMap<string, SettingEntry> = new Map(ENTRIES.map((e) => [e.path, e]));
