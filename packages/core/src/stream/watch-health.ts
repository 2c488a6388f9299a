import { WatchStalledError } from './errors.js';

/** A watch that stays open this long counts as healthy even when nothing arrived. */
export const MIN_HEALTHY_WATCH_MS = 1000;

/**
 * What one watch achieved, to tell whether it was healthy. A healthy watch ends
 * the stream's failure streak, however it ends (closed by the server, cut, an
 * error), so the next reconnect waits as after a first failure; failures with
 * no healthy watch in between (410s, failed lists, watches refused or closed at
 * once) back off longer and longer.
 */
export class WatchHealth {
  #openedAt: number | undefined;
  #events = 0;

  /** The server answered the watch request (HTTP 200). */
  opened(): void {
    this.#openedAt = Date.now();
  }

  /** A watch event (ADDED, MODIFIED, DELETED or BOOKMARK) was applied; ERROR and malformed lines are not. */
  applied(): void {
    this.#events++;
  }

  /**
   * Healthy: the watch opened and then either delivered a watch event, or
   * stayed open at least {@link MIN_HEALTHY_WATCH_MS} without being declared
   * stalled (a stall is silence, however long it lasted).
   */
  healthy(endedBy?: unknown): boolean {
    if (this.#openedAt === undefined) return false;
    if (this.#events > 0) return true;
    if (endedBy instanceof WatchStalledError) return false;
    return Date.now() - this.#openedAt >= MIN_HEALTHY_WATCH_MS;
  }
}
