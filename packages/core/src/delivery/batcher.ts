import type { KubeEvent } from '../event/model.js';
import { kubeEventSize } from './batch-size.js';
import type { EventBuffer } from './buffer.js';

export interface BatcherOptions<T> {
  /** Where items come from; the batcher is its only consumer. */
  buffer: EventBuffer<T>;
  /** A batch goes out as soon as it has this many items. */
  maxEvents: number;
  /**
   * A batch goes out as soon as the next event would take it over this many
   * bytes (by `kubeEventSize`, measured once per event); an event larger than
   * this goes alone. Batches of KubeEvents only: other items have no size.
   * @default Infinity (no byte limit)
   */
  maxBytes?: [T] extends [KubeEvent] ? number : undefined;
  /** How long the first item of a batch waits for the batch to fill; 0 sends what is there. */
  timeoutMs: number;
}

export interface Batcher<T> {
  /**
   * The next batch, in buffer order: when `maxEvents` or `maxBytes` is
   * reached, or `timeoutMs` after its first item became available. Once the
   * buffer is closed, what is left goes out at once, then undefined.
   * Concurrent calls are served one after the other.
   */
  next(): Promise<T[] | undefined>;
}

/**
 * Groups a buffer's items into batches. At most one timer runs, for the
 * batch in progress; none while idle, none per item.
 */
export function createBatcher<T>(options: BatcherOptions<T>): Batcher<T> {
  const { buffer } = options;
  const { maxEvents, maxBytes, timeoutMs } = checkOptions(options);
  // Only KubeEvent batches can set maxBytes (the options' type says so).
  const sizeOf = kubeEventSize as unknown as (item: T) => number;
  const bySize = maxBytes !== Number.POSITIVE_INFINITY;

  // Items taken from the buffer and not sent yet: the batch in progress (the
  // first `fit`), then any that did not fit, taken in the same bulk take.
  let pending: T[] = [];
  let sizes: number[] = [];
  let fit = 0;
  let fitBytes = 0;
  let full = false;
  /** When the first item of the batch in progress became available. */
  let firstAt: number | undefined;
  let expired = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wake: (() => void) | undefined;
  let watching = false;
  let queue: Promise<unknown> = Promise.resolve();

  const stopTimer = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };

  // Learns when the first item arrives even while the caller is busy
  // sending, so its timeout counts from then, not from the next next().
  const watch = () => {
    if (watching) return;
    watching = true;
    void buffer.waitForItems().then(() => {
      watching = false;
      if (firstAt === undefined && buffer.size > 0) firstAt = performance.now();
      wake?.();
    });
  };

  const absorb = () => {
    while (!full && fit < pending.length) {
      const size = bySize ? (sizes[fit] as number) : 0;
      if (fit > 0 && fitBytes + size > maxBytes) {
        full = true;
        return;
      }
      fitBytes += size;
      fit++;
      full = fit === maxEvents || fitBytes >= maxBytes;
    }
  };

  const pull = () => {
    // take() lets blocked pushers in, so the buffer may refill: loop.
    while (!full && buffer.size > 0) {
      const from = pending.length;
      // Appended in place: a batch filling one event per wake-up copied itself each time.
      buffer.take(maxEvents - from, pending);
      firstAt ??= performance.now();
      if (bySize) for (let i = from; i < pending.length; i++) sizes.push(sizeOf(pending[i] as T));
      absorb();
    }
  };

  const emit = (): T[] => {
    const batch = fit === pending.length ? pending : pending.slice(0, fit);
    pending = fit === pending.length ? [] : pending.slice(fit);
    sizes = bySize ? sizes.slice(fit) : sizes;
    fit = 0;
    fitBytes = 0;
    full = false;
    expired = false;
    stopTimer();
    firstAt = pending.length > 0 || buffer.size > 0 ? performance.now() : undefined;
    if (firstAt === undefined) watch();
    absorb();
    return batch;
  };

  const startTimer = (start: number) => {
    if (timer !== undefined) return;
    timer = setTimeout(
      () => {
        timer = undefined;
        expired = true;
        wake?.();
      },
      Math.max(0, start + timeoutMs - performance.now()),
    );
  };

  const run = async (): Promise<T[] | undefined> => {
    for (;;) {
      pull();
      if (full) return emit();
      const drained = buffer.closed && buffer.size === 0;
      if (firstAt !== undefined && pending.length > 0) {
        if (drained || expired) return emit();
        if (performance.now() - firstAt >= timeoutMs) return emit();
        startTimer(firstAt);
      } else if (drained) {
        return undefined;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        watch();
      });
      wake = undefined;
    }
  };

  watch();
  return {
    next() {
      const result = queue.then(run);
      queue = result.then(noop, noop);
      return result;
    },
  };
}

function noop() {}

function checkOptions(o: { maxEvents: unknown; maxBytes?: unknown; timeoutMs: unknown }) {
  const { maxEvents, maxBytes = Number.POSITIVE_INFINITY, timeoutMs } = o;
  if (typeof maxEvents !== 'number' || !Number.isInteger(maxEvents) || maxEvents < 1) {
    throw problem('maxEvents', maxEvents, 'an integer >= 1');
  }
  if (typeof maxBytes !== 'number' || !(maxBytes > 0)) {
    throw problem('maxBytes', maxBytes, 'a number > 0');
  }
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw problem('timeoutMs', timeoutMs, 'a finite number of milliseconds >= 0');
  }
  return { maxEvents, maxBytes, timeoutMs };
}

function problem(field: string, value: unknown, expected: string): RangeError {
  return new RangeError(`[keventer] [batch] ${field}: expected ${expected} (got ${String(value)})`);
}
