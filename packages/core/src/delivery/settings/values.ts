import { didYouMean } from '../../suggest.js';
import { parseDurationMs } from '../../time/duration.js';

/**
 * The value rules of delivery settings. Code gives values of the right type
 * (no strings: the types say number); a URI gives strings, read strictly.
 */
export interface SettingRule<T> {
  readonly type: 'integer' | 'milliseconds' | 'enum';
  /** In words, for errors and docs: 'a positive integer'. */
  readonly accepts: string;
  /** A value from code or a sink's defaults. */
  valid(value: unknown): value is T;
  /** A URI string to a candidate value (checked with `valid` after), or undefined. */
  parse(text: string): unknown;
  /** As it is written in a URI, so docs show what a user can type. */
  format(value: T): string;
  /** ` (did you mean ...?)` for a near miss, or ''. */
  hint(value: unknown): string;
}

/** setTimeout fires at once for longer delays, so no duration may exceed it (~24.8 days). */
export const MAX_MS = 2_147_483_647;

const DIGITS = /^\d+$/;
const DECIMAL = /^\d+(\.\d+)?$/;
const UNLIMITED = 'unlimited';

/** Whole counts; `unlimited` adds Infinity (written 'unlimited' in a URI). */
export function count(c: { min: 0 | 1; unlimited?: boolean }): SettingRule<number> {
  const base = c.min === 1 ? 'a positive integer' : 'an integer of at least 0';
  return {
    type: 'integer',
    accepts: c.unlimited ? `${base} or '${UNLIMITED}' (Infinity in code)` : base,
    valid: (v): v is number =>
      typeof v === 'number' &&
      ((Number.isSafeInteger(v) && v >= c.min) || (c.unlimited === true && v === Infinity)),
    parse(text) {
      const t = text.trim();
      if (c.unlimited && t === UNLIMITED) return Infinity;
      return DIGITS.test(t) ? Number(t) : undefined;
    },
    format: (v) => (v === Infinity ? UNLIMITED : String(v)),
    hint: () => '',
  };
}

/** Milliseconds (0 only where it means "at once"); a URI may also say '500ms', '30s', '5m'. */
export function milliseconds(c: { zero?: boolean } = {}): SettingRule<number> {
  const base = c.zero ? 'a number of milliseconds from 0' : 'a positive number of milliseconds';
  return {
    type: 'milliseconds',
    accepts: `${base} up to ${MAX_MS} (in a URI also a duration such as 500ms, 30s or 5m)`,
    valid: (v): v is number =>
      typeof v === 'number' && (v > 0 || (c.zero === true && v === 0)) && v <= MAX_MS,
    parse(text) {
      const t = text.trim();
      if (DECIMAL.test(t)) return Number(t);
      try {
        return parseDurationMs(t);
      } catch {
        return undefined;
      }
    },
    format: (v) => String(v),
    hint: () => '',
  };
}

/** Case-sensitive like every other name here; a near miss ('drop_newest') gets a hint. */
export function oneOf<V extends string>(accepted: readonly V[]): SettingRule<V> {
  return {
    type: 'enum',
    accepts: `one of ${accepted.join(', ')}`,
    valid: (v): v is V => typeof v === 'string' && (accepted as readonly string[]).includes(v),
    parse: (text) => text.trim(),
    format: (v) => v,
    hint: (v) => (typeof v === 'string' ? didYouMean(v, accepted) : ''),
  };
}
