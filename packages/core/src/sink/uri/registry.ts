import type { AnySinkDefinition } from '../define/define-sink.js';

// Scheme -> definition. Module-local on purpose: a sink package built against
// another copy of core is registered here by createSinkFromUri when loaded.
const definitions = new Map<string, AnySinkDefinition>();

/**
 * Makes a scheme resolvable by createSinkFromUri. `defineSink` calls this.
 *
 * Registering the same definition again is a no-op, and so is registering
 * the same sink from a second copy of its package (an app's own import and
 * a copy createSinkFromUri loaded, or two installs of one version): same
 * scheme, description, options and delivery defaults. The first one stays.
 * A different definition for a taken scheme is an error (two packages
 * claiming `dingtalk`, or two versions whose options differ).
 */
export function registerSink(definition: AnySinkDefinition): void {
  const existing = definitions.get(definition.scheme);
  if (existing === undefined) {
    definitions.set(definition.scheme, definition);
    return;
  }
  if (existing === definition || isSameSink(existing, definition)) return;
  throw new Error(
    `[keventer] [${definition.scheme}] the sink scheme '${definition.scheme}' is already registered by another definition ` +
      `(its description or options differ: two packages, or two versions of one, define it); ` +
      `install one copy, or unregisterSink('${definition.scheme}') first to replace it`,
  );
}

export function getSinkDefinition(scheme: string): AnySinkDefinition | undefined {
  return definitions.get(scheme);
}

/** Removes a scheme (tests, replacing a built-in sink). True if it was there. */
export function unregisterSink(scheme: string): boolean {
  return definitions.delete(scheme);
}

export function listSinkSchemes(): string[] {
  return [...definitions.keys()].sort();
}

/** Two copies of one sink describe themselves identically. */
function isSameSink(a: AnySinkDefinition, b: AnySinkDefinition): boolean {
  return a.scheme === b.scheme && canonical(a.describe()) === canonical(b.describe());
}

// JSON with functions and regular expressions as their source, so option
// defaults of any kind compare by what they are.
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'function' || v instanceof RegExp ? String(v) : v,
  );
}
