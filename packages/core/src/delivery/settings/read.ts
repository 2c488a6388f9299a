import { didYouMean } from '../../suggest.js';
import { BY_PATH, ENTRIES, GROUPS, type SettingEntry } from './table.js';

/**
 * Reads one source of delivery settings (code, a URI, a sink's defaults) into
 * the values it validly sets. Every problem is pushed, none thrown, so the
 * caller can report all of them at once.
 */

export type Source = 'code' | 'uri' | 'sink' | 'core';

export const WHERE: Readonly<Record<Source, string>> = {
  code: 'in code',
  uri: 'in the URI',
  sink: "in the sink's defaults",
  core: 'in the core defaults',
};

export interface Layer {
  readonly source: Source;
  /** Valid values by path (`batch.maxEvents`). */
  readonly values: Map<string, unknown>;
  /** Paths given with a bad value, so no invariant is checked on a guess. */
  readonly bad: Set<string>;
}

/** `batch.maxEvents=500` style keys with string values. */
export function readUri(raw: Readonly<Record<string, string>> = {}, problems: string[]): Layer {
  const layer: Layer = { source: 'uri', values: new Map(), bad: new Set() };
  for (const [key, text] of Object.entries(raw)) {
    const entry = BY_PATH.get(key);
    if (entry === undefined) problems.push(unknown(key, 'uri'));
    else check(layer, entry, text, entry.spec.rule.parse(text), problems);
  }
  return layer;
}

/** `{ batch: { maxEvents: 500 } }` from code or a sink definition; undefined fields are not given. */
export function readObject(source: Source, input: unknown, problems: string[]): Layer {
  const layer: Layer = { source, values: new Map(), bad: new Set() };
  if (input === undefined) return layer;
  if (!isRecord(input)) {
    problems.push(
      `delivery settings ${WHERE[source]}: ${show(input)} is not accepted; expected an object with ${GROUPS.join(', ')}`,
    );
    return layer;
  }
  for (const [group, fields] of Object.entries(input)) {
    if (fields === undefined) continue;
    if (!(GROUPS as string[]).includes(group)) {
      // A URI-style key given in code: say how to nest it, not 'did you mean' itself.
      const [g, f] = group.split('.');
      problems.push(
        BY_PATH.has(group)
          ? `delivery setting '${group}' ${WHERE[source]} must be nested: { ${g}: { ${f}: ... } }`
          : unknown(group, source),
      );
      continue;
    }
    if (!isRecord(fields)) {
      const names = ENTRIES.filter((e) => e.group === group).map((e) => e.field);
      problems.push(
        `delivery setting '${group}' ${WHERE[source]}: ${show(fields)} is not accepted; expected an object with ${names.join(', ')}`,
      );
      continue;
    }
    for (const [field, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      const entry = BY_PATH.get(`${group}.${field}`);
      if (entry === undefined) problems.push(unknown(`${group}.${field}`, source));
      else check(layer, entry, value, value, problems);
    }
  }
  return layer;
}

// `given` is what the user wrote (shown in the message), `value` its conversion.
function check(layer: Layer, entry: SettingEntry, given: unknown, value: unknown, out: string[]) {
  const { rule } = entry.spec;
  if (rule.valid(value)) {
    layer.values.set(entry.path, value);
    return;
  }
  layer.bad.add(entry.path);
  const fromText =
    layer.source !== 'uri' && typeof given === 'string' && rule.valid(rule.parse(given))
      ? '; in code give it as a number (strings are read only from URIs)'
      : '';
  out.push(
    `delivery setting '${entry.path}': ${show(given)} ${WHERE[layer.source]} is not accepted; expected ${rule.accepts}${rule.hint(given)}${fromText}`,
  );
}

// Names the settings of the group the key was meant for, else the groups.
function unknown(key: string, source: Source): string {
  const group = key.split('.')[0] ?? '';
  const known = (GROUPS as string[]).includes(group);
  const candidates = known ? ENTRIES.map((e) => e.path) : GROUPS;
  const accepted = known ? ENTRIES.filter((e) => e.group === group).map((e) => e.path) : GROUPS;
  return `unknown delivery setting '${key}' ${WHERE[source]}${didYouMean(key, candidates)}; accepted: ${accepted.join(', ')}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as it appears in a message: strings quoted and bounded. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 80 ? `${value.slice(0, 80)}…` : value}'`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  if (value === null || typeof value !== 'object') return String(value);
  return 'an object';
}
