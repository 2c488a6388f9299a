/** One item of a `_bulk` answer, as filter_path leaves it. */
export interface BulkItem {
  readonly status: number;
  readonly error?: { readonly type?: string; readonly reason?: string };
}

export interface BulkAnswer {
  readonly errors: boolean;
  /** In the order of the request; fewer than sent when the answer was cut. */
  readonly items: readonly BulkItem[];
}

/**
 * Reads a `_bulk` answer, also one cut at the kit's answer bound: then the
 * complete items before the cut are kept. Undefined when it is not a bulk
 * answer at all (a proxy's page, another product).
 */
export function readBulkAnswer(text: string, truncated: boolean): BulkAnswer | undefined {
  const errors = /^\s*\{\s*"errors"\s*:\s*(true|false)/.exec(text)?.[1];
  if (truncated) {
    if (errors === undefined) return undefined;
    return { errors: errors === 'true', items: completeItems(text) };
  }
  try {
    const answer = JSON.parse(text) as { errors?: unknown; items?: unknown };
    if (typeof answer?.errors !== 'boolean') return undefined;
    const items = Array.isArray(answer.items) ? answer.items.map(unwrap) : [];
    return { errors: answer.errors, items };
  } catch {
    return undefined;
  }
}

/** `{"create":{"status":201}}` to `{status: 201}`. */
const unwrap = (item: unknown): BulkItem => {
  const inner = Object.values((item ?? {}) as Record<string, unknown>)[0] as BulkItem | undefined;
  return { status: Number(inner?.status ?? 0), error: inner?.error };
};

/** The items of a cut answer up to the last one that closed. */
function completeItems(text: string): BulkItem[] {
  const start = text.indexOf('"items":[');
  if (start < 0) return [];
  const items: BulkItem[] = [];
  let depth = 0;
  let inString = false;
  let itemStart = -1;
  for (let i = start + 9; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') {
      if (depth++ === 0) itemStart = i;
    } else if (c === '}' && --depth === 0) {
      items.push(unwrap(JSON.parse(text.slice(itemStart, i + 1))));
    } else if (c === ']' && depth === 0) break;
  }
  return items;
}
