import type { KubeEvent } from '../event/model.js';
import type { EventFilter } from './combinators.js';
import { FilterSpecError } from './errors.js';
import { compilePatterns, type Matcher, type Pattern, type PatternMode } from './pattern.js';

/** Patterns an event field must match (`include`) or must not match (`exclude`, which wins). */
export interface IncludeExclude {
  include?: Pattern | readonly Pattern[];
  exclude?: Pattern | readonly Pattern[];
}

/** Compiled include/exclude; `undefined` means "no constraint". */
export interface Matchers {
  readonly include: Matcher | undefined;
  readonly exclude: Matcher | undefined;
}

export function compileIncludeExclude(
  spec: IncludeExclude | undefined,
  field: string,
  mode: PatternMode = 'auto',
): Matchers {
  if (spec !== undefined && (typeof spec !== 'object' || spec === null || Array.isArray(spec))) {
    throw new FilterSpecError(field, spec, 'expected { include?, exclude? }');
  }
  const { include, exclude } = spec ?? {};
  const excludeEmpty = Array.isArray(exclude) && exclude.length === 0;
  return {
    include: include === undefined ? undefined : compilePatterns(include, `${field}.include`, mode),
    exclude:
      exclude === undefined || excludeEmpty
        ? undefined
        : compilePatterns(exclude, `${field}.exclude`, mode),
  };
}

/** Builds the filter over one string field, specialised so the hot path has no dead checks. */
export function matchField(read: (e: KubeEvent) => string, m: Matchers): EventFilter {
  const { include, exclude } = m;
  if (include && exclude) return (e) => include(read(e)) && !exclude(read(e));
  if (include) return (e) => include(read(e));
  if (exclude) return (e) => !exclude(read(e));
  return () => true;
}

/** Where each pattern-matched field is read from. */
export const readers = {
  kinds: (e: KubeEvent) => e.involvedObject.kind,
  objectNames: (e: KubeEvent) => e.involvedObject.name,
  reasons: (e: KubeEvent) => e.reason,
  components: (e: KubeEvent) => e.reportingComponent,
  messages: (e: KubeEvent) => e.message,
} as const;

/** On the involved object's kind (`Pod`, `Node`, ...). */
export function byKind(spec: IncludeExclude): EventFilter {
  return matchField(readers.kinds, compileIncludeExclude(spec, 'kinds'));
}

/** On the involved object's name (`web-*`, `/^etcd-/`). */
export function byObjectName(spec: IncludeExclude): EventFilter {
  return matchField(readers.objectNames, compileIncludeExclude(spec, 'objectNames'));
}

/** On the event's reason (`BackOff`, `Failed*`, `/^(Killing|OOM)/`). */
export function byReason(spec: IncludeExclude): EventFilter {
  return matchField(readers.reasons, compileIncludeExclude(spec, 'reasons'));
}

/** On the reporting component (`kubelet`, `default-scheduler`, `*-controller`). */
export function byReportingComponent(spec: IncludeExclude): EventFilter {
  return matchField(readers.components, compileIncludeExclude(spec, 'components'));
}

/**
 * On the message. Strings are regex sources (unanchored), as
 * kubernetes-event-exporter users write them; `/src/flags` sets flags.
 * With `exclude: true`, matching events are dropped instead of kept.
 */
export function byMessage(
  patterns: Pattern | readonly Pattern[],
  options: { exclude?: boolean } = {},
): EventFilter {
  const m = compilePatterns(patterns, 'messages', 'regex');
  return options.exclude ? (e) => !m(e.message) : (e) => m(e.message);
}

/** Keeps events that occurred at least `n` times (count rises with each recurrence). */
export function byMinCount(n: number): EventFilter {
  return minCountFilter(n, 'minCount');
}

export function minCountFilter(n: number, field: string): EventFilter {
  if (!Number.isInteger(n) || n < 1) {
    throw new FilterSpecError(field, n, 'expected an integer >= 1');
  }
  return (e) => e.count >= n;
}
