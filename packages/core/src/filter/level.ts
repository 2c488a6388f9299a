import type { EventFilter } from './combinators.js';
import { FilterSpecError } from './errors.js';

/** The two event types Kubernetes defines; other strings pass through as sent. */
export type EventType = 'Normal' | 'Warning';
export const LEVELS: readonly EventType[] = ['Warning', 'Normal'];

/**
 * kube-eventer's `level`: `Warning` passes Warning only; `Normal` passes
 * Normal and Warning (not other types). kube-eventer silently lets everything
 * through on an unknown value such as `warning`; we refuse it.
 */
export function byLevel(level: EventType): EventFilter {
  if (level === 'Warning') return (e) => e.type === 'Warning';
  if (level === 'Normal') return (e) => e.type === 'Warning' || e.type === 'Normal';
  throw new FilterSpecError(
    'level',
    level,
    `expected ${quoted(LEVELS)} (kube-eventer would silently pass every event on this value)`,
  );
}

/** Exact match on the event type: `byType('Warning')`, `byType(['Normal', 'Custom'])`. */
export function byType(types: EventType | readonly string[]): EventFilter {
  return typeFilter(types, 'type');
}

/** `byType` reporting errors under `field` (the spec's `type` or `exclude.type`). */
export function typeFilter(types: EventType | readonly string[], field: string): EventFilter {
  const list: readonly unknown[] = typeof types === 'string' ? [types] : types;
  if (!Array.isArray(list) || list.length === 0) {
    throw new FilterSpecError(field, types, 'expected a type or a non-empty list of types');
  }
  list.forEach((t, i) => {
    checkType(t, list === types ? `${field}[${i}]` : field);
  });
  const [only] = list as string[];
  if (list.length === 1) return (e) => e.type === only;
  const set = new Set(list as string[]);
  return (e) => set.has(e.type);
}

/** `warning` would match nothing (types are case-sensitive): a typo, not a custom type. */
function checkType(t: unknown, field: string): void {
  if (typeof t !== 'string' || t === '') {
    throw new FilterSpecError(field, t, 'expected a non-empty string');
  }
  const known = LEVELS.find((l) => l.toLowerCase() === t.toLowerCase());
  if (known && known !== t) {
    throw new FilterSpecError(field, t, `event types are case-sensitive: use '${known}'`);
  }
}

export function quoted(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(' or ');
}
