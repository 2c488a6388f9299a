import { parseDurationMs } from '@keventer/core';
import type { ConfigPath } from './problems.js';

/** Where a check reports a problem. */
export type Add = (path: ConfigPath, message: string) => void;
export type Obj = Record<string, unknown>;

/** A number of ms or a duration ('30s', '5m'); positive (or >= 0 with zero). */
export function duration(
  value: unknown,
  path: ConfigPath,
  add: Add,
  { zero = false } = {},
  expected = `a duration such as 30s or 5m, or a number of milliseconds${zero ? ' (0 or more)' : ' above 0'}`,
): number | undefined {
  let ms: number | undefined;
  if (typeof value === 'number') ms = value;
  else if (typeof value === 'string') {
    try {
      ms = parseDurationMs(value);
    } catch {
      ms = undefined;
    }
  }
  if (
    ms === undefined ||
    !Number.isFinite(ms) ||
    ms < 0 ||
    (!zero && ms === 0) ||
    ms > 2_147_483_647
  ) {
    add(path, `expected ${expected} (got ${show(value)})`);
    return undefined;
  }
  return ms;
}

export function unknownKeys(
  value: Obj,
  path: ConfigPath,
  known: readonly string[],
  add: Add,
): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) add([...path, key], `unknown key; accepted: ${known.join(', ')}`);
  }
}

/** `exclude.kinds[1]` → ['exclude', 'kinds', 1]. */
export function splitField(field: string): (string | number)[] {
  return field
    .split(/\.|\[(\d+)\]/)
    .filter((part) => part !== undefined && part !== '')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

export function isObj(value: unknown): value is Obj {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 60)}…` : value}'`;
  if (Array.isArray(value)) return 'a list';
  if (isObj(value)) return 'a mapping';
  return String(value);
}
