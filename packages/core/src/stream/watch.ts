import type { IncomingMessage } from 'node:http';
import { PassThrough, pipeline } from 'node:stream';
import type { KubeEvent } from '../event/model.js';
import { normalizeEvent } from '../event/normalize.js';
import { occurrenceMark } from '../event/occurrence.js';
import type { StreamContext } from './context.js';
import { MalformedLineError } from './errors.js';
import { KubeApiError, type KubeClient } from './kube-client.js';
import { LineReader, LineTooLongError } from './line-reader.js';
import type { StallWatchdog } from './stall-watchdog.js';
import type { WatchHealth } from './watch-health.js';
import { parseWatchLine, type WatchLineEvent } from './watch-line.js';

/** How much of a watch response may be read ahead of the consumer. */
const READ_AHEAD_BYTES = 1 << 20;
/** How much is decoded and parsed at a time. */
const READ_BYTES = 64 * 1024;
/**
 * Events parsed ahead of the consumer, handed on together: fewer trips through
 * the async generators per event (16-64 measured alike, 4 cost ~10% more CPU).
 * It was 4 while the in-flight events sat in Maps keyed by event, which kept
 * whatever was alive at a young-generation GC alive until a full one (see
 * event/event-tag.ts); events alive for a batch are now cheap.
 */
const BATCH_EVENTS = 32;

/** Up to BATCH_EVENTS new occurrences; `failure` is a bad line or an ERROR read after them. */
interface Batch {
  readonly events: KubeEvent[];
  /** Complete lines read, blank ones and those that emit nothing included (each is progress). */
  readonly lines: number;
  /** No complete line left in the buffer: the next chunk is needed. */
  readonly drained: boolean;
  readonly failure?: { readonly error: unknown };
}

/** One watch from the stream's position, until the server closes it; what it achieved goes into `health`. */
export async function* watchEvents(
  ctx: StreamContext,
  client: KubeClient,
  watchdog: StallWatchdog,
  health: WatchHealth,
): AsyncGenerator<readonly KubeEvent[]> {
  ctx.setState('connecting');
  const watchAbort = watchdog.watchStarted();
  // A stall aborts through watchAbort: the stall error, not the abort, is what failed.
  const stalledOr = (error: unknown) =>
    watchAbort.signal.aborted ? watchAbort.signal.reason : error;
  const response = await openWatch(ctx, client, watchdog, watchAbort).catch((error: unknown) => {
    watchdog.idle(); // no watch is open during the backoff that follows: nothing to stall
    throw stalledOr(error);
  });
  health.opened();
  ctx.setProblem(undefined);
  ctx.stats.watches++;
  ctx.setState('watching');
  // A bounded read-ahead lets the socket keep flowing while the consumer works;
  // past it, pipeline() pauses the response and TCP slows the server down. It
  // holds raw bytes (off the JS heap) and hands out small reads: decoded text
  // waiting in the buffer was copied by every young-generation GC.
  const buffered = new PassThrough({
    writableHighWaterMark: READ_AHEAD_BYTES,
    readableHighWaterMark: READ_BYTES,
  });
  pipeline(response, buffered, () => {}); // errors reach the reader through `buffered`
  const chunks = buffered[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const lines = new LineReader(ctx.options.maxLineBytes);
  // Progress is a complete line: a server trickling bytes without ever
  // finishing a line is as stalled as a silent one.
  let lastLineAt = Date.now();
  try {
    for (;;) {
      watchdog.waiting(lastLineAt);
      const chunk = await chunks.next().catch((error: unknown) => {
        throw stalledOr(error);
      });
      watchdog.idle();
      if (chunk.done) return;
      lines.push(chunk.value);
      let drained = false;
      while (!drained) {
        const batch = readBatch(ctx, lines, health);
        drained = batch.drained;
        if (batch.lines > 0) lastLineAt = Date.now();
        // Events read before a bad line or an ERROR still go out, then the failure.
        if (batch.events.length > 0) {
          yield batch.events;
          lastLineAt = Date.now(); // the consumer's time is no silence
        }
        if (batch.failure) throw batch.failure.error;
      }
    }
  } finally {
    watchdog.idle();
    buffered.destroy();
    response.destroy();
  }
}

function openWatch(
  ctx: StreamContext,
  client: KubeClient,
  watchdog: StallWatchdog,
  watchAbort: AbortController,
): Promise<IncomingMessage> {
  const query = {
    watch: '1',
    resourceVersion: ctx.progress.resourceVersion,
    allowWatchBookmarks: 'true',
    timeoutSeconds: String(ctx.options.watchTimeoutSeconds),
    ...ctx.resource.selectors,
  };
  watchdog.waiting(Date.now()); // a server that never answers is a stall too
  return client.get(ctx.resource.path, query, AbortSignal.any([ctx.signal, watchAbort.signal]));
}

/** Applies the buffered lines until BATCH_EVENTS new occurrences, the buffer's end, or a failure. */
function readBatch(ctx: StreamContext, lines: LineReader, health: WatchHealth): Batch {
  const events: KubeEvent[] = [];
  let read = 0;
  try {
    while (events.length < BATCH_EVENTS) {
      const line = nextLine(ctx, lines);
      if (line === undefined) return { events, lines: read, drained: true };
      read++;
      if (line.trim() === '') continue;
      const event = applyLine(ctx, line);
      health.applied();
      if (event) events.push(event);
    }
    return { events, lines: read, drained: false };
  } catch (error) {
    return { events, lines: read, drained: true, failure: { error } };
  }
}

/** The next complete line; one over maxLineBytes counts as malformed (the watch is then reopened). */
function nextLine(ctx: StreamContext, lines: LineReader): string | undefined {
  try {
    return lines.nextLine();
  } catch (error) {
    if (error instanceof LineTooLongError) ctx.stats.malformedLines++;
    throw error;
  }
}

/** Applies one watch line; returns the event to emit, if it is a new occurrence. */
function applyLine(ctx: StreamContext, line: string): KubeEvent | undefined {
  const { progress, stats, options } = ctx;
  let parsed: WatchLineEvent;
  try {
    parsed = parseWatchLine(line);
  } catch (error) {
    if (error instanceof MalformedLineError) stats.malformedLines++;
    throw error;
  }
  switch (parsed.type) {
    case 'ADDED':
    case 'MODIFIED': {
      stats.received++;
      const before = progress.resourceVersion;
      const event = normalizeEvent(parsed.object, options.apiGroup);
      progress.advance(event.resourceVersion);
      if (!progress.emitIfNew(event, occurrenceMark(event), before)) {
        stats.repeats++;
        return undefined;
      }
      stats.emitted++;
      return event;
    }
    case 'DELETED': {
      const event = normalizeEvent(parsed.object, options.apiGroup);
      progress.advance(event.resourceVersion);
      progress.forget(event.uid);
      stats.deleted++;
      return undefined;
    }
    case 'BOOKMARK':
      progress.advance(parsed.resourceVersion);
      stats.bookmarks++;
      return undefined;
    case 'ERROR':
      throw new KubeApiError(`watch error: ${parsed.message}`, parsed.code, parsed.reason);
  }
}
