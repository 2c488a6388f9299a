/** What an EventStream is doing. */
export type StreamPhase = 'connecting' | 'listing' | 'watching' | 'backoff' | 'stalled' | 'stopped';

export interface StreamState {
  readonly phase: StreamPhase;
  /** When this phase began. */
  readonly since: Date;
  /** The watch position. */
  readonly resourceVersion: string;
  /** Why the stream is backing off or stalled. */
  readonly error?: Error;
  /** With 'backoff': how long until the next attempt. */
  readonly retryInMs?: number;
  /** With 'backoff': consecutive failures so far. */
  readonly attempt?: number;
}

/** Counters since the stream started. Bounded: numbers only, no per-object labels. */
export interface StreamStats {
  /** True after the first successful list. */
  ready: boolean;
  lists: number;
  listPages: number;
  watches: number;
  /** Lists again after a 410 (resourceVersion or continue token too old). */
  relists: number;
  /** Watches that ended by error, stall or close and were reopened. */
  reconnects: number;
  stalls: number;
  bookmarks: number;
  /** Watch lines that were no watch event (not JSON, a wrong shape, longer than maxLineBytes). */
  malformedLines: number;
  /** List items that were no Event object (skipped). */
  malformedItems: number;
  /** Failed lists and watches (errors, stalls, malformed lines), each retried after a backoff. */
  errors: number;
  /** Waits in the backoff before another attempt: after a failure, a 410, or a watch that closed at once. */
  retries: number;
  /** Objects seen in lists and ADDED/MODIFIED lines. */
  received: number;
  /** Occurrences handed to the consumer. */
  emitted: number;
  /** Objects not emitted because their occurrence was emitted before (MODIFIED without a new occurrence, relists). */
  repeats: number;
  /** Occurrences older than the start point, not emitted. */
  skipped: number;
  deleted: number;
  checkpointSaves: number;
  checkpointErrors: number;
}

export function emptyStats(): StreamStats {
  return {
    ready: false,
    lists: 0,
    listPages: 0,
    watches: 0,
    relists: 0,
    reconnects: 0,
    stalls: 0,
    bookmarks: 0,
    malformedLines: 0,
    malformedItems: 0,
    errors: 0,
    retries: 0,
    received: 0,
    emitted: 0,
    repeats: 0,
    skipped: 0,
    deleted: 0,
    checkpointSaves: 0,
    checkpointErrors: 0,
  };
}
