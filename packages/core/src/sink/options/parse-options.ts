import { didYouMean } from '../../suggest.js';
import { SinkConfigError } from '../contract/errors.js';
import { REDACTED } from '../secrets/redact.js';
import type { Env } from './env.js';
import type { Option, OptionSchema, ParsedOptions } from './options.js';

/**
 * Validates raw options (URI query strings or values given in code) against a
 * schema. Collects every problem and throws one SinkConfigError listing them;
 * secret values never appear in it.
 */
export function parseOptions<S extends OptionSchema>(
  sink: string,
  schema: S,
  raw: Readonly<Record<string, unknown>>,
  context: { env?: Env } = {},
): ParsedOptions<S> {
  const env = context.env ?? process.env;
  const problems: string[] = [];
  const given = collectGiven(schema, raw, problems);
  const out: Record<string, unknown> = {};

  for (const [name, opt] of Object.entries(schema)) {
    let entry = given.get(name);
    const fromEnv = opt.env === undefined ? undefined : env[opt.env];
    if (!entry && opt.env && fromEnv) entry = { key: `${name} (from $${opt.env})`, value: fromEnv };
    if (!entry) {
      if (opt.default !== undefined) out[name] = copy(opt.default);
      else if (opt.required) problems.push(missing(name, opt));
      continue;
    }
    const problem = convert(entry.key, opt, entry.value, (value) => {
      out[name] = value;
    });
    if (problem) problems.push(problem);
  }
  if (problems.length > 0) throw new SinkConfigError(sink, problems);
  return out as ParsedOptions<S>;
}

interface Given {
  key: string;
  value: unknown;
}

// Maps each given key (name or alias) to its option; unknown keys and a name
// given twice are problems. `undefined` values count as not given.
function collectGiven(
  schema: OptionSchema,
  raw: Readonly<Record<string, unknown>>,
  problems: string[],
) {
  const byKey = new Map<string, string>();
  for (const [name, opt] of Object.entries(schema)) {
    byKey.set(name, name);
    for (const alias of opt.aliases) byKey.set(alias, name);
  }
  const given = new Map<string, Given>();
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const name = byKey.get(key);
    if (name === undefined) {
      const accepted = Object.keys(schema);
      const list = accepted.length > 0 ? accepted.join(', ') : 'none';
      problems.push(
        `unknown option '${key}'${didYouMean(key, byKey.keys())}; accepted options: ${list}`,
      );
      continue;
    }
    const previous = given.get(name);
    if (previous)
      problems.push(`option '${name}' is given twice (as '${previous.key}' and '${key}')`);
    else given.set(name, { key, value });
  }
  return given;
}

function convert(key: string, opt: Option, value: unknown, set: (v: unknown) => void) {
  let single = value;
  if (!opt.multiple && Array.isArray(value) && opt.kind !== 'custom') {
    if (value.length !== 1)
      return `option '${key}' is given ${value.length} times; it takes one value`;
    single = value[0];
  }
  const result = opt.coerce(single);
  if (!result.ok) {
    const hint = result.hint ? `; ${result.hint}` : '';
    return `option '${key}': ${show(opt, single)} is not accepted; expected ${opt.accepts}${hint}`;
  }
  const empty = result.value === '' || (Array.isArray(result.value) && result.value.length === 0);
  if (opt.required && empty) return `option '${key}' is required and must not be empty`;
  set(result.value);
  return undefined;
}

function missing(name: string, opt: Option): string {
  const env = opt.env ? ` (or set $${opt.env})` : '';
  return `missing required option '${name}'${env}: ${opt.description}`;
}

/** The value as it may appear in an error: `***` for secrets, bounded. */
function show(opt: Option, value: unknown): string {
  if (opt.secret) return REDACTED;
  if (typeof value === 'string') {
    return `'${value.length > 80 ? `${value.slice(0, 80)}…` : value}'`;
  }
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `[${value.map((v) => show(opt, v)).join(', ')}]`;
  if (value === null || typeof value !== 'object') return String(value);
  return `an object (${value.constructor?.name ?? 'Object'})`;
}

function copy(value: unknown): unknown {
  return Array.isArray(value) ? [...value] : value;
}
