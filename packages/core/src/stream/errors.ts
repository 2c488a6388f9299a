/** A watch line that is not a watch event; the watch is reopened from the last good position. */
export class MalformedLineError extends Error {
  override readonly name = 'MalformedLineError';

  constructor(
    readonly line: string,
    /** What is wrong with it, e.g. 'not JSON', 'ADDED without an object'. */
    readonly problem = 'not JSON',
  ) {
    super(`malformed watch line (${problem}, ${line.length} chars): ${line.slice(0, 120)}`);
  }
}

/** A list that cannot complete: a page that is not an EventList, a page too large, too many pages. Retried after a backoff. */
export class ListError extends Error {
  override readonly name = 'ListError';
}

/** No complete line, not even a bookmark, arrived for too long: the connection is presumed dead. */
export class WatchStalledError extends Error {
  override readonly name = 'WatchStalledError';

  constructor(readonly silentMs: number) {
    super(`watch stalled: no complete line received for ${silentMs} ms`);
  }
}

/**
 * A configuration the stream cannot work with, which waiting will not heal (no
 * cluster configured, an unreadable kubeconfig, plain http:// refused, a TLS
 * certificate that does not verify). The stream stops at once with it instead
 * of retrying forever; the message says what to fix.
 */
export class StreamConfigError extends Error {
  override readonly name = 'StreamConfigError';

  constructor(message: string, options?: { cause?: unknown }) {
    // No "EventStream" prefix: loadKubeConfig serves other readers (the webhook's ConfigMaps) too.
    super(`[keventer] ${message}`, options);
  }
}
