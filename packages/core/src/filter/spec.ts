import { allOf, type EventFilter, not } from './combinators.js';
import { FilterSpecError } from './errors.js';
import { type Matchers, matchField, minCountFilter, readers } from './fields.js';
import { byLevel, type EventType, typeFilter } from './level.js';
import { namespaceFilter } from './namespace.js';
import { compilePatterns, type Pattern, type PatternMode } from './pattern.js';

type Patterns = Pattern | readonly Pattern[];

/** Fields usable both to keep (top level) and to drop (under `exclude`). */
export interface FilterFields {
  /** Exact event types. */
  type?: EventType | readonly string[];
  /** The involved object's namespace: exact, glob or `/regex/`. */
  namespaces?: Patterns;
  kinds?: Patterns;
  reasons?: Patterns;
  objectNames?: Patterns;
  /** Regex sources matched anywhere in the message. */
  messages?: Patterns;
  /** Reporting component / controller. */
  components?: Patterns;
  minCount?: number;
}

/**
 * A declarative, JSON-able filter. Every field given must pass (AND); inside
 * a list any pattern may match (OR). Each `exclude` field drops on its own.
 */
export interface FilterSpec extends FilterFields {
  level?: EventType;
  /** @default true: events about Nodes and other cluster-scoped objects pass `namespaces`. */
  clusterScoped?: boolean;
  exclude?: FilterFields;
}

const FIELDS: readonly string[] = [
  'type',
  'namespaces',
  'kinds',
  'reasons',
  'objectNames',
  'messages',
  'components',
  'minCount',
];
const SPEC_KEYS: readonly string[] = ['level', ...FIELDS, 'clusterScoped', 'exclude'];
const PATTERN_KEYS = ['kinds', 'reasons', 'components', 'objectNames', 'messages'] as const;

/** Builds one filter from a spec, validating it first: errors name the field and value. */
export function createFilter(spec: FilterSpec): EventFilter {
  checkKeys(spec, 'spec', SPEC_KEYS);
  const ex: FilterFields = spec.exclude ?? {};
  checkKeys(ex, 'exclude', FIELDS);
  // Cheap, selective checks first; message regexes last.
  const parts: EventFilter[] = [];
  if (spec.level !== undefined) parts.push(byLevel(spec.level));
  if (spec.type !== undefined) parts.push(typeFilter(spec.type, 'type'));
  if (ex.type !== undefined) parts.push(not(typeFilter(ex.type, 'exclude.type')));
  if (spec.minCount !== undefined) parts.push(minCountFilter(spec.minCount, 'minCount'));
  if (ex.minCount !== undefined) parts.push(not(minCountFilter(ex.minCount, 'exclude.minCount')));
  if (spec.namespaces !== undefined || ex.namespaces !== undefined || 'clusterScoped' in spec) {
    const m = pair(spec, ex, 'namespaces', 'auto');
    parts.push(namespaceFilter(m, spec.clusterScoped ?? true));
  }
  for (const key of PATTERN_KEYS) {
    if (spec[key] === undefined && ex[key] === undefined) continue;
    parts.push(
      matchField(readers[key], pair(spec, ex, key, key === 'messages' ? 'regex' : 'auto')),
    );
  }
  return allOf(...parts);
}

type PatternKey = 'namespaces' | 'kinds' | 'reasons' | 'components' | 'objectNames' | 'messages';

function pair(spec: FilterFields, ex: FilterFields, key: PatternKey, mode: PatternMode): Matchers {
  const include = spec[key];
  const exclude = ex[key];
  // An empty exclude list drops nothing; an empty include list is refused by compilePatterns.
  const noExclude = exclude === undefined || (Array.isArray(exclude) && exclude.length === 0);
  return {
    include: include === undefined ? undefined : compilePatterns(include, key, mode),
    exclude: noExclude ? undefined : compilePatterns(exclude, `exclude.${key}`, mode),
  };
}

function checkKeys(value: unknown, field: string, allowed: readonly string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FilterSpecError(field, value, 'expected an object');
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      const where = field === 'spec' ? key : `${field}.${key}`;
      const hint = allowed.includes(`${key}s`) ? ` (did you mean '${key}s'?)` : '';
      throw new FilterSpecError(
        where,
        key,
        `unknown field${hint}; accepted: ${allowed.join(', ')}`,
      );
    }
  }
}
