import type { IncomingMessage } from 'node:http';
import { PassThrough, pipeline } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeEvent } from '../event/model.js';
import { normalizeEvent } from '../event/normalize.js';
import { occurrenceMark } from '../event/occurrence.js';
import { backoffDelay } from './backoff.js';
import { BodyTooLargeError } from './bounded-body.js';
import type { Checkpoint } from './checkpoint.js';
import { ListError, MalformedLineError, StreamConfigError, WatchStalledError } from './errors.js';
import { KubeApiError, KubeClient, loadKubeConfig } from './kube-client.js';
import { LineReader, LineTooLongError } from './line-reader.js';
import { parseListPage } from './list-page.js';
import {
  type EventStreamOptions,
  type ResolvedStreamOptions,
  resolveStreamOptions,
} from './options.js';
import { StreamProgress } from './progress.js';
import { sinceToCutoffMs } from './since.js';
import { emptyStats, type StreamPhase, type StreamState, type StreamStats } from './state.js';
import { asConfigError } from './unrecoverable.js';
import { WatchHealth } from './watch-health.js';
import { parseWatchLine, type WatchLineEvent } from './watch-line.js';

/**
 * What a list emits: occurrences at or after `cutoffMs` that are not known
 * already (objects changed at or before `position`, or in the seen set). The
 * first list has a cutoff from `since` and no position; a relist after a watch
 * 410 has a position and no cutoff.
 */
interface ListMode {
  readonly cutoffMs: number;
  readonly position: string;
}

/** Which request failed, for logs. */
type Step = 'list' | 'watch';

/** How much of a watch response may be read ahead of the consumer. */
const READ_AHEAD_BYTES = 1 << 20;
/** How much is decoded and parsed at a time. */
const READ_BYTES = 64 * 1024;
/**
 * Events parsed ahead of the consumer. Small on purpose: with 16 or more, enough
 * parsed events were alive at each young-generation GC for V8 to start
 * allocating them in the old generation (pretenuring), and GC time rose 6x.
 */
const BATCH_EVENTS = 4;

const isIntegerRv = (rv: string) => /^\d+$/.test(rv);

/** True when an object last changed at or before `position`, i.e. it was already read. */
function changedAtOrBefore(rv: string, position: string): boolean {
  return isIntegerRv(rv) && isIntegerRv(position) && Number(rv) <= Number(position);
}

/**
 * Kubernetes Events as an async iterable: list, then watch from the list's
 * resourceVersion, forever. Reconnects after closes, errors and stalls from its
 * last position; relists after a 410 and emits only occurrences it has not
 * emitted; resumes from a checkpoint. Reading pauses while the consumer is busy.
 *
 * ```ts
 * for await (const event of new EventStream({ since: 'now' })) console.log(event.reason);
 * ```
 */
export class EventStream implements AsyncIterable<KubeEvent> {
  readonly stats: StreamStats = emptyStats();
  readonly #options: ResolvedStreamOptions;
  readonly #kubeConfig: EventStreamOptions['kubeConfig'];
  readonly #abort = new AbortController();
  readonly #progress: StreamProgress;
  readonly #listeners = new Set<(state: StreamState) => void>();
  #state: StreamState = { phase: 'connecting', since: new Date(), resourceVersion: '' };
  #iterating = false;
  /** While waiting for watch data: when the last complete line came, for the stall watchdog. */
  #waitingSince = 0;
  /** A failure that lasts until someone fixes it (401, 403), while it lasts. */
  #problem: string | undefined;
  #watchAbort: AbortController | undefined;
  #checkpointCostMs = 0;
  #saving: Promise<void> = Promise.resolve();

  constructor(options: EventStreamOptions = {}) {
    this.#options = resolveStreamOptions(options);
    this.#kubeConfig = options.kubeConfig;
    this.#progress = new StreamProgress(this.#options.seenCapacity);
    if (options.signal?.aborted) this.stop();
    else options.signal?.addEventListener('abort', () => this.stop(), { once: true });
  }

  /**
   * What keeps the stream from working that retrying alone will not fix (401 or
   * 403: the credentials or RBAC), while it lasts; the stream keeps retrying so a
   * fix takes effect without a restart. Health reports it at once.
   */
  get problem(): string | undefined {
    return this.#problem;
  }

  /** Whether events count as handled on the next read ('auto') or only on {@link ack} ('manual'). */
  get ackMode(): 'auto' | 'manual' {
    return this.#options.ack;
  }

  get state(): StreamState {
    return this.#state;
  }

  /** Calls `listener` on every state change; returns the unsubscribe function. */
  onState(listener: (state: StreamState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Marks an emitted event as handled (with `ack: 'manual'`); the checkpoint advances past it. */
  ack(event: KubeEvent): void {
    this.#progress.ack(event);
  }

  /** Emitted events not yet handled. */
  get inFlight(): number {
    return this.#progress.inFlight;
  }

  /** Where a restart would resume: everything before it has been handled. */
  checkpoint(): Checkpoint {
    return this.#progress.snapshot(this.#scope);
  }

  /**
   * How long the last save held the event loop: the snapshot of the seen set
   * and the store's synchronous part (serializing it), not its I/O. A caller
   * saving often spaces saves by it.
   */
  get checkpointCostMs(): number {
    return this.#checkpointCostMs;
  }

  /** Saves the checkpoint now (one save at a time). */
  saveCheckpoint(): Promise<void> {
    const store = this.#options.checkpoint;
    if (!store) return Promise.resolve();
    this.#saving = this.#saving.then(async () => {
      try {
        const started = performance.now();
        const saved = store.save(this.#progress.snapshot(this.#scope));
        this.#checkpointCostMs = performance.now() - started;
        await saved;
        this.stats.checkpointSaves++;
      } catch (error) {
        this.stats.checkpointErrors++;
        this.#options.logger.warn({ err: error }, 'saving the checkpoint failed');
      }
    });
    return this.#saving;
  }

  /** Stops reading; a `for await` over the stream ends after the current event. */
  stop(): void {
    this.#abort.abort();
  }

  [Symbol.asyncIterator](): AsyncIterator<KubeEvent> {
    if (this.#iterating) throw new Error('an EventStream can be iterated only once');
    this.#iterating = true;
    return this.#eventsOf(this.#run());
  }

  /**
   * Hands out the events of each batch one by one. Reading works a chunk or a
   * page at a time; serving its events from a plain array, not through nested
   * generators, keeps the per-event cost to one promise.
   */
  #eventsOf(batches: AsyncGenerator<readonly KubeEvent[]>): AsyncIterator<KubeEvent> {
    const progress = this.#progress;
    const autoAck = this.#options.ack === 'auto';
    const signal = this.#abort.signal;
    const done = { done: true, value: undefined } as const;
    let batch: readonly KubeEvent[] = [];
    let index = 0;
    let previous: KubeEvent | undefined;
    return {
      async next() {
        // Asking for the next event means the previous one was handled.
        if (autoAck && previous) progress.ack(previous);
        previous = undefined;
        while (index >= batch.length || signal.aborted) {
          const result = await batches.next();
          if (result.done) return done;
          batch = result.value;
          index = 0;
        }
        previous = batch[index++] as KubeEvent;
        return { done: false, value: previous };
      },
      async return() {
        await batches.return(undefined);
        return done;
      },
    };
  }

  get #scope(): string {
    const { apiGroup, namespace = '', fieldSelector = '', labelSelector = '' } = this.#options;
    return [apiGroup, namespace, fieldSelector, labelSelector].join('|');
  }

  get #path(): string {
    const { apiGroup, namespace } = this.#options;
    const base = apiGroup === 'core/v1' ? '/api/v1' : '/apis/events.k8s.io/v1';
    return namespace
      ? `${base}/namespaces/${encodeURIComponent(namespace)}/events`
      : `${base}/events`;
  }

  get #selectors(): Record<string, string> {
    const { fieldSelector, labelSelector } = this.#options;
    return {
      ...(fieldSelector ? { fieldSelector } : {}),
      ...(labelSelector ? { labelSelector } : {}),
    };
  }

  #setState(phase: StreamPhase, extra: Partial<StreamState> = {}): void {
    this.#state = {
      phase,
      since: new Date(),
      resourceVersion: this.#progress.resourceVersion,
      ...extra,
    };
    for (const listener of this.#listeners) listener(this.#state);
  }

  async *#run(): AsyncGenerator<readonly KubeEvent[]> {
    const { checkpointIntervalMs, stallTimeoutMs } = this.#options;
    const signal = this.#abort.signal;
    if (signal.aborted) {
      this.#setState('stopped');
      return;
    }
    const client = this.#connect();
    const saver = setInterval(
      () => this.#progress.changed && void this.saveCheckpoint(),
      checkpointIntervalMs,
    );
    const watchdog = setInterval(() => this.#checkStall(), Math.min(1000, stallTimeoutMs / 4));
    saver.unref();
    watchdog.unref();
    let fatal: StreamConfigError | undefined;
    try {
      let listMode: ListMode | undefined = await this.#startMode();
      /** Consecutive failures: only a healthy watch ends the streak (see WatchHealth). */
      let attempt = 0;
      while (!signal.aborted) {
        let step: Step = 'list';
        const watch = new WatchHealth();
        try {
          if (listMode) {
            yield* this.#list(client, listMode);
            listMode = undefined;
          }
          step = 'watch';
          yield* this.#watch(client, watch);
          // A healthy watch that ran its course reopens at once; one closed
          // at once, empty, must not loop hot.
          attempt = watch.healthy() ? 0 : attempt + 1;
          if (attempt > 0) await this.#backoff(attempt, undefined);
        } catch (error) {
          if (signal.aborted) break;
          fatal = asConfigError(error, client.server);
          if (fatal) throw fatal;
          this.stats.reconnects++;
          // A watch that worked before it failed ends the streak: this is a first failure.
          attempt = watch.healthy(error) ? 1 : attempt + 1;
          if (error instanceof KubeApiError && error.gone) {
            this.stats.relists++;
            // A continue token that expired mid-list: the same list again (its
            // cutoff kept). A watch position compacted away: list from it.
            if (step === 'watch') {
              listMode = {
                cutoffMs: Number.NEGATIVE_INFINITY,
                position: this.#progress.resourceVersion,
              };
            }
            this.#options.logger.info(
              { step, resourceVersion: this.#progress.resourceVersion, attempt },
              step === 'list'
                ? 'continue token too old (410): listing again from the start'
                : 'resourceVersion too old (410): listing again',
            );
            await this.#backoff(attempt, undefined);
            continue;
          }
          this.stats.errors++;
          await this.#backoff(attempt, error as Error, step);
        }
      }
    } catch (error) {
      fatal ??= error instanceof StreamConfigError ? error : undefined;
      if (fatal) this.#options.logger.error({ err: fatal.message }, 'event stream stopped');
      throw error;
    } finally {
      clearInterval(saver);
      clearInterval(watchdog);
      this.#watchAbort?.abort();
      if (
        this.#options.checkpoint &&
        (this.#progress.changed || this.stats.checkpointSaves === 0)
      ) {
        await this.saveCheckpoint();
      }
      this.#setState('stopped', fatal ? { error: fatal } : {});
    }
  }

  /** The API client, or the configuration error that makes one impossible (the stream then stops). */
  #connect(): KubeClient {
    try {
      return new KubeClient(loadKubeConfig(this.#kubeConfig));
    } catch (error) {
      const fatal =
        error instanceof StreamConfigError
          ? error
          : new StreamConfigError(`the kubeconfig is not usable: ${(error as Error).message}`);
      this.#options.logger.error({ err: fatal.message }, 'event stream stopped');
      this.#setState('stopped', { error: fatal });
      throw fatal;
    }
  }

  /** How the first list behaves: resume from a checkpoint, or start at `since`. */
  async #startMode(): Promise<ListMode | undefined> {
    const { checkpoint: store, logger, since } = this.#options;
    const checkpoint = store ? await store.load() : undefined;
    if (checkpoint && checkpoint.scope !== this.#scope) {
      logger.warn(
        { saved: checkpoint.scope, now: this.#scope },
        'checkpoint is for another scope: ignored',
      );
    } else if (checkpoint) {
      const listCutoffMs = this.#progress.restore(checkpoint);
      logger.info({ resourceVersion: checkpoint.resourceVersion }, 'resuming from checkpoint');
      this.stats.ready = true;
      // Watch straight from the saved position; a 410 there turns into a relist.
      if (checkpoint.resourceVersion) return undefined;
      // Saved before the first list completed: that list again, from its start point.
      return { cutoffMs: listCutoffMs ?? sinceToCutoffMs(since), position: '' };
    }
    return { cutoffMs: sinceToCutoffMs(since), position: '' };
  }

  async *#list(client: KubeClient, mode: ListMode): AsyncGenerator<readonly KubeEvent[]> {
    const { pageSize, requestTimeoutMs, apiGroup, maxListPageBytes, maxListPages, logger } =
      this.#options;
    this.#setState('listing');
    this.stats.lists++;
    const positionBefore = this.#progress.resourceVersion;
    if (mode.position === '') this.#progress.listCutoffMs = mode.cutoffMs;
    let listResourceVersion = '';
    let continueToken = '';
    let pages = 0;
    do {
      if (++pages > maxListPages) {
        throw new ListError(
          `the list did not end after ${maxListPages} pages (the server kept sending continue tokens); raise maxListPages if the cluster really stores more than ${maxListPages * pageSize} events`,
        );
      }
      const body = await client
        .getBody(
          this.#path,
          {
            limit: String(pageSize),
            ...(continueToken ? { continue: continueToken } : {}),
            ...this.#selectors,
          },
          this.#abort.signal,
          requestTimeoutMs,
          maxListPageBytes,
        )
        .catch((error: unknown) => {
          if (!(error instanceof BodyTooLargeError)) throw error;
          throw new ListError(
            `a list page is larger than maxListPageBytes (${maxListPageBytes} bytes): lower pageSize (${pageSize}) or raise maxListPageBytes`,
          );
        });
      const page = parseListPage(body);
      this.#problem = undefined;
      this.stats.listPages++;
      if (page.malformedItems > 0) {
        this.stats.malformedItems += page.malformedItems;
        logger.warn({ count: page.malformedItems }, 'list items that are not Events: skipped');
      }
      listResourceVersion ||= page.resourceVersion;
      if (page.continueToken !== '' && page.continueToken === continueToken) {
        throw new ListError(
          'the server answered a continue token with the same token: the list would never end',
        );
      }
      continueToken = page.continueToken;
      const events = page.items.map((item) => normalizeEvent(item, apiGroup));
      events.sort((a, b) =>
        a.lastTimestamp < b.lastTimestamp ? -1 : a.lastTimestamp > b.lastTimestamp ? 1 : 0,
      );
      const fresh: KubeEvent[] = [];
      for (const event of events) {
        this.stats.received++;
        const mark = occurrenceMark(event);
        if (mark.lastMs < mode.cutoffMs) {
          this.stats.skipped++;
          this.#progress.skip(event.uid, mark);
          continue;
        }
        if (
          changedAtOrBefore(event.resourceVersion, mode.position) ||
          !this.#progress.seen.isNew(event.uid, mark)
        ) {
          this.stats.repeats++;
          this.#progress.skip(event.uid, mark);
          continue;
        }
        this.#progress.emit(event, mark, positionBefore);
        this.stats.emitted++;
        fresh.push(event);
      }
      if (fresh.length > 0) yield fresh;
    } while (continueToken);
    this.#progress.advance(listResourceVersion);
    this.#progress.listCutoffMs = undefined;
    this.stats.ready = true;
  }

  /** One watch, until the server closes it; what it achieved goes into `health`. */
  async *#watch(client: KubeClient, health: WatchHealth): AsyncGenerator<readonly KubeEvent[]> {
    const { watchTimeoutSeconds } = this.#options;
    this.#setState('connecting');
    const watchAbort = new AbortController();
    this.#watchAbort = watchAbort;
    const signal = AbortSignal.any([this.#abort.signal, watchAbort.signal]);
    const query = {
      watch: '1',
      resourceVersion: this.#progress.resourceVersion,
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(watchTimeoutSeconds),
      ...this.#selectors,
    };
    this.#waitingSince = Date.now(); // a server that never answers is a stall too
    const response: IncomingMessage = await client
      .get(this.#path, query, signal)
      .catch((error: unknown) => {
        // No watch is open during the backoff that follows: nothing to stall.
        this.#waitingSince = 0;
        throw watchAbort.signal.aborted ? watchAbort.signal.reason : error;
      });
    health.opened();
    this.#problem = undefined;
    this.stats.watches++;
    this.#setState('watching');
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
    const lines = new LineReader(this.#options.maxLineBytes);
    // Progress is a complete line: a server trickling bytes without ever
    // finishing a line is as stalled as a silent one.
    let lastLineAt = Date.now();
    try {
      for (;;) {
        this.#waitingSince = lastLineAt;
        const chunk = await chunks.next().catch((error: unknown) => {
          throw watchAbort.signal.aborted ? watchAbort.signal.reason : error;
        });
        this.#waitingSince = 0;
        if (chunk.done) break;
        lines.push(chunk.value);
        let more = true;
        while (more) {
          const events: KubeEvent[] = [];
          try {
            while (events.length < BATCH_EVENTS) {
              const line = this.#nextLine(lines);
              if (line === undefined) {
                more = false;
                break;
              }
              lastLineAt = Date.now();
              if (line.trim() === '') continue;
              const event = this.#handleLine(line);
              health.applied();
              if (event) events.push(event);
            }
          } finally {
            // Events read before a bad line or an ERROR still go out.
            if (events.length > 0) {
              yield events;
              lastLineAt = Date.now(); // the consumer's time is no silence
            }
          }
        }
      }
    } finally {
      this.#waitingSince = 0;
      buffered.destroy();
      response.destroy();
    }
  }

  /** The next complete line; one over maxLineBytes counts as malformed (the watch is then reopened). */
  #nextLine(lines: LineReader): string | undefined {
    try {
      return lines.nextLine();
    } catch (error) {
      if (error instanceof LineTooLongError) this.stats.malformedLines++;
      throw error;
    }
  }

  /** Applies one watch line; returns the event to emit, if it is a new occurrence. */
  #handleLine(line: string): KubeEvent | undefined {
    let parsed: WatchLineEvent;
    try {
      parsed = parseWatchLine(line);
    } catch (error) {
      if (error instanceof MalformedLineError) this.stats.malformedLines++;
      throw error;
    }
    const progress = this.#progress;
    switch (parsed.type) {
      case 'ADDED':
      case 'MODIFIED': {
        this.stats.received++;
        const before = progress.resourceVersion;
        const event = normalizeEvent(parsed.object, this.#options.apiGroup);
        progress.advance(event.resourceVersion);
        const mark = occurrenceMark(event);
        if (!progress.emitIfNew(event, mark, before)) {
          this.stats.repeats++;
          return undefined;
        }
        this.stats.emitted++;
        return event;
      }
      case 'DELETED': {
        const event = normalizeEvent(parsed.object, this.#options.apiGroup);
        progress.advance(event.resourceVersion);
        progress.forget(event.uid);
        this.stats.deleted++;
        return undefined;
      }
      case 'BOOKMARK':
        progress.advance(parsed.resourceVersion);
        this.stats.bookmarks++;
        return undefined;
      case 'ERROR':
        throw new KubeApiError(`watch error: ${parsed.message}`, parsed.code, parsed.reason);
    }
  }

  #checkStall(): void {
    const silentMs = this.#waitingSince ? Date.now() - this.#waitingSince : 0;
    if (
      silentMs > this.#options.stallTimeoutMs &&
      this.#watchAbort &&
      !this.#watchAbort.signal.aborted
    ) {
      this.stats.stalls++;
      const error = new WatchStalledError(silentMs);
      this.#setState('stalled', { error });
      this.#watchAbort.abort(error);
    }
  }

  /** Waits before attempt `attempt` + 1: every retry of the stream comes through here and is counted. */
  async #backoff(attempt: number, error: Error | undefined, step?: Step): Promise<void> {
    const retryAfterMs = error instanceof KubeApiError ? (error.retryAfterMs ?? 0) : 0;
    const delay = Math.max(backoffDelay(attempt - 1, this.#options.backoff), retryAfterMs);
    this.stats.retries++;
    if (error && step) this.#logFailure(step, error, delay);
    this.#setState('backoff', { retryInMs: delay, attempt, ...(error ? { error } : {}) });
    await sleep(delay, undefined, { signal: this.#abort.signal }).catch(() => {});
  }

  #logFailure(step: Step, error: Error, retryInMs: number): void {
    const { logger, apiGroup } = this.#options;
    if (error instanceof KubeApiError && (error.statusCode === 401 || error.statusCode === 403)) {
      this.#problem = `not allowed to list/watch events (${error.statusCode}): ${error.reason ? `${error.reason}; ` : ''}check the credentials and RBAC (verbs list and watch on events in ${apiGroup === 'core/v1' ? 'the core group' : 'events.k8s.io'})`;
      logger.error({ step, statusCode: error.statusCode, reason: error.reason }, this.#problem);
      return;
    }
    const what = step === 'list' ? 'listing events failed' : 'watching events failed';
    logger.warn({ step, err: error.message, retryInMs }, `${what}: retrying`);
  }
}
