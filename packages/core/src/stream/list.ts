import type { KubeEvent } from '../event/model.js';
import { normalizeEvent } from '../event/normalize.js';
import { occurrenceMark } from '../event/occurrence.js';
import { BodyTooLargeError } from './bounded-body.js';
import type { StreamContext } from './context.js';
import { ListError } from './errors.js';
import type { KubeClient } from './kube-client.js';
import { type ListPage, parseListPage } from './list-page.js';

/**
 * What a list emits: occurrences at or after `cutoffMs` that are not known
 * already (objects changed at or before `position`, or in the seen set). The
 * first list has a cutoff from `since` and no position; a relist after a watch
 * 410 has a position and no cutoff.
 */
export interface ListMode {
  readonly cutoffMs: number;
  readonly position: string;
}

const isIntegerRv = (rv: string) => /^\d+$/.test(rv);

/** True when an object last changed at or before `position`, i.e. it was already read. */
function changedAtOrBefore(rv: string, position: string): boolean {
  return isIntegerRv(rv) && isIntegerRv(position) && Number(rv) <= Number(position);
}

/**
 * One list, page by page, yielding each page's new occurrences oldest first;
 * at its end the position moves to the list's resourceVersion and the stream is ready.
 */
export async function* listEvents(
  ctx: StreamContext,
  client: KubeClient,
  mode: ListMode,
): AsyncGenerator<readonly KubeEvent[]> {
  const { options, progress, stats } = ctx;
  const { pageSize, maxListPages } = options;
  ctx.setState('listing');
  stats.lists++;
  const positionBefore = progress.resourceVersion;
  if (mode.position === '') progress.listCutoffMs = mode.cutoffMs;
  let listResourceVersion = '';
  let continueToken = '';
  let pages = 0;
  do {
    if (++pages > maxListPages) {
      throw new ListError(
        `the list did not end after ${maxListPages} pages (the server kept sending continue tokens); raise maxListPages if the cluster really stores more than ${maxListPages * pageSize} events`,
      );
    }
    const page = parseListPage(await fetchPage(ctx, client, continueToken));
    ctx.setProblem(undefined);
    stats.listPages++;
    if (page.malformedItems > 0) {
      stats.malformedItems += page.malformedItems;
      options.logger.warn(
        { count: page.malformedItems },
        'list items that are not Events: skipped',
      );
    }
    listResourceVersion ||= page.resourceVersion;
    if (page.continueToken !== '' && page.continueToken === continueToken) {
      throw new ListError(
        'the server answered a continue token with the same token: the list would never end',
      );
    }
    continueToken = page.continueToken;
    const fresh = newOccurrences(ctx, page.items, mode, positionBefore);
    if (fresh.length > 0) yield fresh;
  } while (continueToken);
  progress.advance(listResourceVersion);
  // listCutoffMs stays: while this list's events are in flight the checkpoint
  // is still before it (an empty position) and must say where it started.
  stats.ready = true;
}

/** One page's body; a page over maxListPageBytes is a ListError that says what to change. */
function fetchPage(ctx: StreamContext, client: KubeClient, continueToken: string): Promise<Buffer> {
  const { pageSize, requestTimeoutMs, maxListPageBytes } = ctx.options;
  const query = {
    limit: String(pageSize),
    ...(continueToken ? { continue: continueToken } : {}),
    ...ctx.resource.selectors,
  };
  return client
    .getBody(ctx.resource.path, query, ctx.signal, requestTimeoutMs, maxListPageBytes)
    .catch((error: unknown) => {
      if (!(error instanceof BodyTooLargeError)) throw error;
      throw new ListError(
        `a list page is larger than maxListPageBytes (${maxListPageBytes} bytes): lower pageSize (${pageSize}) or raise maxListPageBytes`,
      );
    });
}

/** A page's items, oldest first, minus those before the cutoff or already known; recorded in the progress. */
function newOccurrences(
  ctx: StreamContext,
  items: ListPage['items'],
  mode: ListMode,
  positionBefore: string,
): KubeEvent[] {
  const { progress, stats } = ctx;
  const events = items.map((item) => normalizeEvent(item, ctx.options.apiGroup));
  events.sort((a, b) =>
    a.lastTimestamp < b.lastTimestamp ? -1 : a.lastTimestamp > b.lastTimestamp ? 1 : 0,
  );
  const fresh: KubeEvent[] = [];
  for (const event of events) {
    stats.received++;
    const mark = occurrenceMark(event);
    if (mark.lastMs < mode.cutoffMs) {
      stats.skipped++;
      progress.skip(event.uid, mark);
      continue;
    }
    if (
      changedAtOrBefore(event.resourceVersion, mode.position) ||
      !progress.seen.isNew(event.uid, mark)
    ) {
      stats.repeats++;
      progress.skip(event.uid, mark);
      continue;
    }
    progress.emit(event, mark, positionBefore);
    stats.emitted++;
    fresh.push(event);
  }
  return fresh;
}
