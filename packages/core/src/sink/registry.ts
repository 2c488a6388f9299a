import type { AnySinkDefinition } from './define-sink.js';

// Scheme -> definition. Module-local on purpose: a sink package built against
// another copy of core is registered here by createSinkFromUri when loaded.
const definitions = new Map<string, AnySinkDefinition>();

/**
 * Makes a scheme resolvable by createSinkFromUri. `defineSink` calls this.
 * Registering the same definition again is a no-op; a different definition
 * for a taken scheme is an error (two packages claiming `dingtalk`).
 */
export function registerSink(definition: AnySinkDefinition): void {
  const existing = definitions.get(definition.scheme);
  if (existing === undefined || existing === definition) {
    definitions.set(definition.scheme, definition);
    return;
  }
  throw new Error(
    `[keventer] [${definition.scheme}] the sink scheme '${definition.scheme}' is already registered by another definition; unregisterSink('${definition.scheme}') first to replace it`,
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
