import type { KubeEvent } from '../event/model.js';
import type { Checkpoint } from './checkpoint.js';
import { CheckpointSaver } from './checkpoint-saver.js';
import type { StreamContext } from './context.js';
import { StreamConfigError } from './errors.js';
import { type EventsResource, eventsResource } from './events-resource.js';
import { KubeClient, loadKubeConfig } from './kube-client.js';
import {
  type EventStreamOptions,
  type ResolvedStreamOptions,
  resolveStreamOptions,
} from './options.js';
import { StreamProgress } from './progress.js';
import { readForever } from './reconnect.js';
import { startingList } from './resume.js';
import { StallWatchdog } from './stall-watchdog.js';
import { emptyStats, type StreamPhase, type StreamState, type StreamStats } from './state.js';

/**
 * The events of a stream a batch at a time, for the forwarder: one promise per
 * read batch instead of one per event. Core-internal (not exported by the
 * package); an EventStream is iterated once, by events or by batches.
 */
export interface EventBatches {
  /** The next batch (never empty), or undefined once the stream has ended. */
  next(): Promise<readonly KubeEvent[] | undefined>;
  /** True once stop() was called: the rest of a batch must not be handed on (it stays unacked, so a restart replays it). */
  readonly stopped: boolean;
  /** Ends the reading early (the stream saves its checkpoint and says 'stopped'). */
  return(): Promise<void>;
}

let openBatches: (stream: EventStream) => EventBatches;

/** Reads `stream` by batches (see {@link EventBatches}). */
export function eventBatches(stream: EventStream): EventBatches {
  return openBatches(stream);
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
 *
 * The parts, one file each: where to start (resume.ts), one list (list.ts), one
 * watch (watch.ts) and its stall watchdog (stall-watchdog.ts), the loop that
 * reconnects and relists (reconnect.ts), and when the checkpoint is saved
 * (checkpoint-saver.ts).
 */
export class EventStream implements AsyncIterable<KubeEvent> {
  readonly stats: StreamStats = emptyStats();
  readonly #options: ResolvedStreamOptions;
  readonly #kubeConfig: EventStreamOptions['kubeConfig'];
  readonly #resource: EventsResource;
  readonly #abort = new AbortController();
  readonly #progress: StreamProgress;
  readonly #checkpoints: CheckpointSaver;
  readonly #listeners = new Set<(state: StreamState) => void>();
  #state: StreamState = { phase: 'connecting', since: new Date(), resourceVersion: '' };
  #iterating = false;
  /** A failure that lasts until someone fixes it (401, 403), while it lasts. */
  #problem: string | undefined;

  constructor(options: EventStreamOptions = {}) {
    this.#options = resolveStreamOptions(options);
    this.#kubeConfig = options.kubeConfig;
    this.#resource = eventsResource(this.#options);
    this.#progress = new StreamProgress(this.#options.seenCapacity);
    this.#checkpoints = new CheckpointSaver(
      this.#options.checkpoint,
      () => this.checkpoint(),
      this.stats,
      this.#options.logger,
    );
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
    return this.#progress.snapshot(this.#resource.scope);
  }

  /** Saves the checkpoint now (one save at a time). */
  saveCheckpoint(): Promise<void> {
    return this.#checkpoints.now();
  }

  /**
   * Saves the checkpoint within about `maxDelayMs`, for a consumer that acks
   * often: at once after a quiet spell, then at most every `maxDelayMs` while
   * asks continue, spaced further when a save is slow (20 times the event-loop
   * time it takes) so saving stays under ~5% of the time. The forwarder asks
   * after every acknowledgement.
   */
  saveCheckpointSoon(maxDelayMs: number): void {
    this.#checkpoints.soon(maxDelayMs);
  }

  /** Stops reading; a `for await` over the stream ends after the current event. */
  stop(): void {
    this.#abort.abort();
  }

  [Symbol.asyncIterator](): AsyncIterator<KubeEvent> {
    return this.#eventsOf(this.#start());
  }

  static {
    openBatches = (stream) => stream.#batchesOf(stream.#start());
  }

  #start(): AsyncGenerator<readonly KubeEvent[]> {
    if (this.#iterating) throw new Error('an EventStream can be iterated only once');
    this.#iterating = true;
    return this.#run();
  }

  #batchesOf(batches: AsyncGenerator<readonly KubeEvent[]>): EventBatches {
    const signal = this.#abort.signal;
    return {
      async next() {
        for (;;) {
          const result = await batches.next();
          if (result.done) return undefined;
          if (result.value.length > 0) return result.value;
        }
      },
      get stopped() {
        return signal.aborted;
      },
      async return() {
        await batches.return(undefined);
      },
    };
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

  #setState(phase: StreamPhase, extra: Partial<StreamState> = {}): void {
    this.#state = {
      phase,
      since: new Date(),
      resourceVersion: this.#progress.resourceVersion,
      ...extra,
    };
    for (const listener of this.#listeners) listener(this.#state);
  }

  get #context(): StreamContext {
    return {
      options: this.#options,
      resource: this.#resource,
      progress: this.#progress,
      stats: this.stats,
      signal: this.#abort.signal,
      setState: (phase, extra) => this.#setState(phase, extra),
      setProblem: (problem) => {
        this.#problem = problem;
      },
    };
  }

  /** Reads until stopped or a configuration error; then saves the checkpoint and says 'stopped'. */
  async *#run(): AsyncGenerator<readonly KubeEvent[]> {
    if (this.#abort.signal.aborted) {
      this.#setState('stopped');
      return;
    }
    const client = this.#connect();
    const ctx = this.#context;
    const watchdog = new StallWatchdog(ctx);
    this.#checkpoints.startInterval(
      this.#options.checkpointIntervalMs,
      () => this.#progress.changed,
    );
    watchdog.start();
    let fatal: StreamConfigError | undefined;
    try {
      yield* readForever(ctx, client, watchdog, await startingList(ctx));
    } catch (error) {
      if (error instanceof StreamConfigError) {
        fatal = error;
        this.#options.logger.error({ err: fatal.message }, 'event stream stopped');
      }
      throw error;
    } finally {
      this.#checkpoints.stopInterval();
      watchdog.stop();
      if (
        this.#options.checkpoint &&
        (this.#progress.changed || this.stats.checkpointSaves === 0)
      ) {
        await this.#checkpoints.now();
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
}
