import { ListError } from './errors.js';
import { eventObjectProblem } from './watch-line.js';

/** One page of a list, checked. */
export interface ListPage {
  readonly resourceVersion: string;
  /** '' on the last page. */
  readonly continueToken: string;
  /** The items that are Event objects, in the server's order. */
  readonly items: readonly Record<string, unknown>[];
  /** Items that are not (counted and skipped, like malformed watch lines). */
  readonly malformedItems: number;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses a list body; what is not an EventList throws {@link ListError}. */
export function parseListPage(body: Buffer): ListPage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ListError(`malformed list page: not JSON (${body.length} bytes)`);
  }
  const metadata = isRecord(parsed) ? parsed.metadata : undefined;
  const items = isRecord(parsed) ? (parsed.items ?? []) : undefined;
  if (!isRecord(metadata) || !Array.isArray(items)) {
    throw new ListError('malformed list page: not an EventList (metadata, items)');
  }
  const { resourceVersion = '', continue: continueToken = '' } = metadata;
  if (typeof resourceVersion !== 'string' || typeof continueToken !== 'string') {
    throw new ListError(
      'malformed list page: metadata.resourceVersion and metadata.continue must be strings',
    );
  }
  const events = items.filter((item) => eventObjectProblem(item) === undefined);
  return {
    resourceVersion,
    continueToken,
    items: events as Record<string, unknown>[],
    malformedItems: items.length - events.length,
  };
}
