import { AsyncLocalStorage } from 'node:async_hooks';
import type { OptionSchema } from '../options/options.js';
import { REDACTED } from './redact.js';

/**
 * The values a sink's options declare `secret`, to be masked wherever they
 * show up: in what the sink throws, and in what a server echoes back (a
 * `Cannot POST /services/T0/B0/<secret>` page, a refused token).
 */

// Shorter values would mask ordinary words; parts of a value (a URL's path,
// a header's credentials) must be longer still to count as the secret.
const MIN_SECRET_CHARS = 4;
const MIN_PART_CHARS = 8;
const HEADER_ENTRY = /^([!#$%&'*+.^_`|~0-9A-Za-z-]{1,64})\s*[=:]\s*(.*)$/s;

/**
 * Every secret value given for `schema`'s secret options in `raw` (parsed
 * options, or raw ones with aliases and repeated URI values), with the parts
 * a server may echo alone: a URL's path, last path segment, query values and
 * password; a header entry's value and its credentials after `Bearer `.
 * Longest first, so a value is masked before a part of it.
 */
export function secretValues(
  schema: OptionSchema,
  raw: Readonly<Record<string, unknown>>,
): string[] {
  const found = new Set<string>();
  for (const [name, option] of Object.entries(schema)) {
    if (!option.secret) continue;
    for (const key of [name, ...option.aliases]) {
      for (const value of texts(raw[key])) addSecret(found, value);
    }
  }
  return [...found].sort((a, b) => b.length - a.length);
}

function texts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value instanceof URL) return [value.href];
  if (Array.isArray(value)) return value.flatMap(texts);
  return [];
}

function addSecret(found: Set<string>, value: string): void {
  const add = (text: string, min: number) => {
    const trimmed = text.trim();
    if (trimmed.length < min) return;
    found.add(trimmed);
    const encoded = encodeURIComponent(trimmed);
    if (encoded !== trimmed) found.add(encoded);
  };
  add(value, MIN_SECRET_CHARS);
  const header = HEADER_ENTRY.exec(value);
  if (header) {
    const credentials = header[2] ?? '';
    add(credentials, MIN_SECRET_CHARS);
    add(credentials.replace(/^\S+\s+/, ''), MIN_SECRET_CHARS);
  }
  if (!URL.canParse(value) || !/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return;
  const url = new URL(value);
  add(decodeOrKeep(url.password), MIN_SECRET_CHARS);
  add(url.pathname, MIN_PART_CHARS);
  add(url.pathname.split('/').at(-1) ?? '', MIN_PART_CHARS);
  for (const v of url.searchParams.values()) add(v, MIN_SECRET_CHARS);
}

function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `text` with every one of `secrets` (longest first) replaced by `***`. Linear in `text` per secret. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

// The secrets of the sink whose code is running: set around its creation and
// each write, read where core builds an error, so a message is masked before
// it is cut (a cut could leave half a secret).
const scope = new AsyncLocalStorage<readonly string[]>();

/** Runs `fn` with `secrets` masked in every SinkError and SinkConfigError it creates. */
export function withSecrets<T>(secrets: readonly string[], fn: () => T): T {
  return secrets.length === 0 ? fn() : scope.run(secrets, fn);
}

/** The secrets of the sink whose code is running, if any. */
export function currentSecrets(): readonly string[] {
  return scope.getStore() ?? [];
}
