/** A filter or filter spec that cannot be built; `field` names where the bad value sits. */
export class FilterSpecError extends Error {
  override readonly name = 'FilterSpecError';

  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(`[keventer] [filter] ${field}: ${reason} (got ${show(value)})`);
  }
}

function show(value: unknown): string {
  if (value instanceof RegExp) return String(value);
  if (typeof value === 'string') return `'${value}'`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
