/** A watch line that is not a JSON watch event; the watch is reopened from the last good position. */
export class MalformedLineError extends Error {
  override readonly name = 'MalformedLineError';

  constructor(readonly line: string) {
    super(`malformed watch line (${line.length} chars): ${line.slice(0, 120)}`);
  }
}

/** Nothing, not even a bookmark, arrived for too long: the connection is presumed dead. */
export class WatchStalledError extends Error {
  override readonly name = 'WatchStalledError';

  constructor(readonly silentMs: number) {
    super(`watch stalled: nothing received for ${silentMs} ms`);
  }
}
