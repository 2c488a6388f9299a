import { redactText } from './sink/secrets/redact.js';
import { didYouMean } from './suggest.js';

/**
 * Options that cannot work, found where they were given. Every problem is
 * listed at once, each naming the option's path and the bad value, so a user
 * fixes them in one round. Messages are redacted: no secret gets through.
 */
export class OptionsError extends Error {
  override readonly name = 'OptionsError';
  /** Where the options were given: `createForwarder`, `new EventStream`. */
  readonly where: string;
  readonly problems: readonly string[];

  constructor(where: string, problems: readonly string[]) {
    const clean = problems.map(redactText);
    const text =
      clean.length === 1
        ? clean[0]
        : `${clean.length} problems:\n${clean.map((p) => `  - ${p}`).join('\n')}`;
    super(`[keventer] ${where}: ${text}`);
    this.where = where;
    this.problems = clean;
  }
}

/**
 * Collects option problems; `throwIfAny()` throws them together as one
 * OptionsError. A check pushes and goes on, never throws.
 */
export class OptionProblems {
  readonly list: string[] = [];
  readonly #where: string;

  constructor(where: string) {
    this.#where = where;
  }

  /** `path: expected <expected> (got <value>)[; hint]`. */
  add(path: string, value: unknown, expected: string, hint = ''): void {
    this.list.push(`${path}: expected ${expected} (got ${describeValue(value)})${hint}`);
  }

  /** A problem that is not about one value (two routes with the same name...). */
  note(text: string): void {
    this.list.push(text);
  }

  /** Every key of `object` that is not in `known`: a typo would otherwise be ignored silently. */
  unknownKeys(path: string, object: object, known: readonly string[]): void {
    for (const key of Object.keys(object)) {
      if (known.includes(key)) continue;
      const at = path ? `${path}.${key}` : key;
      this.list.push(
        `${at}: unknown option${didYouMean(key, known)}; accepted: ${known.join(', ')}`,
      );
    }
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw new OptionsError(this.#where, this.list);
  }
}

/** A value as an error shows it: kinds and key names, strings bounded; redacted by OptionsError. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    return `'${value.length > 80 ? `${value.slice(0, 80)}…` : value}'`;
  }
  if (typeof value === 'function')
    return value.name ? `a function named ${value.name}` : 'a function';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null || typeof value !== 'object') return String(value);
  const keys = Object.keys(value);
  if (keys.length === 0) return 'an empty object';
  const shown = keys.slice(0, 6).join(', ');
  return `an object with ${shown}${keys.length > 6 ? ', …' : ''}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when every name is a method of `value`. */
export function hasMethods(value: unknown, names: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const object = value as Record<string, unknown>;
  return names.every((name) => typeof object[name] === 'function');
}
