import { parseDurationMs } from '../../time/duration.js';

/**
 * Value rules behind `option.*`: each converts a URI string or a value given
 * in code, and says in words what it accepts (for errors and docs).
 */

export type Coerced<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly hint?: string };

export interface Rule<T> {
  readonly accepts: string;
  coerce(value: unknown): Coerced<T>;
}

const ok = <T>(value: T): Coerced<T> => ({ ok: true, value });
const bad = (hint?: string): Coerced<never> =>
  hint === undefined ? { ok: false } : { ok: false, hint };

export function stringRule(): Rule<string> {
  return { accepts: 'a string', coerce: (v) => (typeof v === 'string' ? ok(v) : bad()) };
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function numberRule(c: { integer?: boolean; min?: number; max?: number }): Rule<number> {
  const kind = c.integer ? 'an integer' : 'a number';
  const range =
    c.min !== undefined && c.max !== undefined
      ? ` from ${c.min} to ${c.max}`
      : c.min !== undefined
        ? ` of at least ${c.min}`
        : c.max !== undefined
          ? ` of at most ${c.max}`
          : '';
  return {
    accepts: kind + range,
    coerce(v) {
      const n =
        typeof v === 'number'
          ? v
          : typeof v === 'string' && NUMBER.test(v.trim())
            ? Number(v)
            : NaN;
      if (!Number.isFinite(n) || (c.integer && !Number.isInteger(n))) return bad();
      if ((c.min !== undefined && n < c.min) || (c.max !== undefined && n > c.max)) return bad();
      return ok(n);
    },
  };
}

// Go's strconv.ParseBool, which kube-eventer uses: `insecure=` (empty) is
// refused rather than read as true, since an empty env var produces it.
const TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

export function booleanRule(): Rule<boolean> {
  return {
    accepts: 'true or false',
    coerce(v) {
      if (typeof v === 'boolean') return ok(v);
      if (typeof v !== 'string') return bad();
      return TRUE.has(v) ? ok(true) : FALSE.has(v) ? ok(false) : bad();
    },
  };
}

export function enumRule<V extends string>(accepted: readonly V[]): Rule<V> {
  return {
    accepts: `one of ${accepted.join(', ')} (case-sensitive)`,
    coerce(v) {
      if (typeof v === 'string' && (accepted as readonly string[]).includes(v)) return ok(v as V);
      const near =
        typeof v === 'string' && accepted.find((a) => a.toLowerCase() === v.toLowerCase());
      return bad(near ? `did you mean '${near}'?` : undefined);
    },
  };
}

export function listRule(split: boolean): Rule<readonly string[]> {
  return {
    accepts: split
      ? 'a comma-separated list (or the key repeated)'
      : 'one or more values (repeat the key)',
    coerce(v) {
      const items = typeof v === 'string' ? [v] : v;
      if (!Array.isArray(items) || !items.every((i) => typeof i === 'string')) return bad();
      if (!split) return ok([...items]);
      return ok(
        items
          .flatMap((i: string) => i.split(','))
          .map((i) => i.trim())
          .filter((i) => i !== ''),
      );
    },
  };
}

export function urlRule(protocols?: readonly string[]): Rule<string> {
  const names = protocols?.map((p) => p.replace(/:$/, ''));
  return {
    accepts: names ? `a URL (${names.join(' or ')})` : 'a URL',
    coerce(v) {
      const text = v instanceof URL ? v.href : typeof v === 'string' ? v.trim() : undefined;
      if (text === undefined || !URL.canParse(text)) return bad();
      const scheme = new URL(text).protocol.replace(/:$/, '');
      return names && !names.includes(scheme) ? bad() : ok(text);
    },
  };
}

export function durationRule(c: { min?: number; max?: number }): Rule<number> {
  const range =
    c.min !== undefined || c.max !== undefined ? ` (${c.min ?? 0} ms to ${c.max ?? '∞'} ms)` : '';
  return {
    accepts: `a duration such as 500ms, 30s, 5m or 1h30m, or milliseconds${range}`,
    coerce(v) {
      const ms = typeof v === 'number' || typeof v === 'string' ? toMs(v) : undefined;
      if (ms === undefined || !Number.isFinite(ms) || ms < 0) return bad();
      if ((c.min !== undefined && ms < c.min) || (c.max !== undefined && ms > c.max)) return bad();
      return ok(ms);
    },
  };
}

// The same duration syntax as the stream's `since` ('1h30m', '2d', ms).
function toMs(value: number | string): number | undefined {
  try {
    return Math.round(parseDurationMs(value));
  } catch {
    return undefined;
  }
}

export function customCoerce<T>(check: (value: unknown) => value is T): (v: unknown) => Coerced<T> {
  return (v) => {
    if (check(v)) return ok(v);
    const fromUri = typeof v === 'string' || Array.isArray(v);
    return bad(fromUri ? 'it can only be set in code, not in a URI' : undefined);
  };
}
