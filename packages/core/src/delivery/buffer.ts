import { Ring } from './buffer-ring.js';

/** What a full buffer does with one more item. */
export type WhenFull = 'block' | 'dropOldest' | 'dropNewest';

/** Why the buffer let an item go without delivering it. */
export type DropReason = 'buffer_full_drop_newest' | 'buffer_full_drop_oldest';

export interface EventBufferOptions<T> {
  /** Most items held at once; the memory bound. */
  maxEvents: number;
  /**
   * `block`: push waits for space, slowing the producer (backpressure);
   * `dropNewest`: the pushed item is dropped; `dropOldest`: the oldest is evicted.
   * @default 'block'
   */
  whenFull?: WhenFull;
  /** Called for every dropped item, after it was counted. */
  onDrop?: (item: T, reason: DropReason) => void;
}

export interface PushOptions {
  /** Stops waiting for space; the push rejects with the signal's reason and the item is not added. */
  signal?: AbortSignal;
}

export interface EventBufferStats {
  /** Items that entered the buffer. Always `taken + dropped.buffer_full_drop_oldest + size`. */
  readonly pushed: number;
  readonly taken: number;
  readonly dropped: Readonly<Record<DropReason, number>>;
  /** Pushes that had to wait for space (`block` only). */
  readonly blocked: number;
  /** The largest size reached; never above maxEvents. */
  readonly maxSeen: number;
}

/** A push into a closed buffer, or a push still waiting when the buffer closed. */
export class BufferClosedError extends Error {
  override readonly name = 'BufferClosedError';

  constructor() {
    super('[keventer] [buffer] the buffer is closed: no more items are accepted');
  }
}

interface BlockedPush<T> {
  readonly item: T;
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

interface ItemWaiter {
  readonly resolve: () => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

const POLICIES: readonly WhenFull[] = ['block', 'dropOldest', 'dropNewest'];

/**
 * A bounded FIFO between one producer side and one consumer side (one per
 * sink). Memory never exceeds `maxEvents` items plus the items of pushers
 * that are blocked, and those are admitted in the order they arrived.
 */
export class EventBuffer<T> {
  readonly maxEvents: number;
  readonly whenFull: WhenFull;
  readonly #onDrop: ((item: T, reason: DropReason) => void) | undefined;
  readonly #items = new Ring<T>();
  readonly #blocked = new Ring<BlockedPush<T>>();
  #itemWaiters: ItemWaiter[] = [];
  #closed = false;
  #pushed = 0;
  #taken = 0;
  #dropNewest = 0;
  #dropOldest = 0;
  #blockedTotal = 0;
  #maxSeen = 0;

  constructor(options: EventBufferOptions<T>) {
    const { maxEvents, whenFull = 'block', onDrop } = options;
    if (!Number.isInteger(maxEvents) || maxEvents < 1) {
      throw new RangeError(
        `[keventer] [buffer] maxEvents: expected an integer >= 1 (got ${maxEvents})`,
      );
    }
    if (!POLICIES.includes(whenFull)) {
      throw new RangeError(
        `[keventer] [buffer] whenFull: expected one of ${POLICIES.join(', ')} (got '${whenFull}')`,
      );
    }
    this.maxEvents = maxEvents;
    this.whenFull = whenFull;
    this.#onDrop = onDrop;
  }

  get size(): number {
    return this.#items.size;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get stats(): EventBufferStats {
    return {
      pushed: this.#pushed,
      taken: this.#taken,
      dropped: {
        buffer_full_drop_newest: this.#dropNewest,
        buffer_full_drop_oldest: this.#dropOldest,
      },
      blocked: this.#blockedTotal,
      maxSeen: this.#maxSeen,
    };
  }

  /**
   * Adds an item. Returns undefined when it was handled at once (added or
   * dropped); with `block` and a full buffer, a promise that resolves once
   * the item is in. The fast path allocates no promise, so callers should
   * `const p = buffer.push(x); if (p) await p;` in hot loops.
   * Rejects with BufferClosedError once the buffer is closed.
   */
  push(item: T, options?: PushOptions): Promise<void> | undefined {
    if (this.#closed) return Promise.reject(new BufferClosedError());
    if (this.#items.size < this.maxEvents && this.#blocked.size === 0) {
      this.#add(item);
      return undefined;
    }
    if (this.whenFull === 'dropNewest') {
      this.#dropNewest++;
      this.#onDrop?.(item, 'buffer_full_drop_newest');
      return undefined;
    }
    if (this.whenFull === 'dropOldest') {
      const oldest = this.#items.shift() as T;
      this.#dropOldest++;
      this.#add(item);
      this.#onDrop?.(oldest, 'buffer_full_drop_oldest');
      return undefined;
    }
    return this.#block(item, options?.signal);
  }

  /**
   * Removes up to `max` items, oldest first, appends them to `into` (a new
   * array by default) and returns it; frees space for blocked pushers.
   */
  take(max: number, into: T[] = []): T[] {
    const n = Math.min(Math.floor(max), this.#items.size);
    if (!(n > 0)) return into;
    for (let i = 0; i < n; i++) into.push(this.#items.shift() as T);
    this.#taken += n;
    this.#admitBlocked();
    return into;
  }

  /**
   * Resolves once at least one item is there, or the buffer is closed; at
   * once if so already. The signal only bounds the wait.
   */
  waitForItems(signal?: AbortSignal): Promise<void> {
    if (this.#items.size > 0 || this.#closed) return Promise.resolve();
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const waiter: ItemWaiter = {
        resolve,
        signal,
        onAbort: () => {
          this.#itemWaiters = this.#itemWaiters.filter((w) => w !== waiter);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.#itemWaiters.push(waiter);
    });
  }

  /**
   * Stops accepting items: later pushes reject, and so do pushes still
   * blocked (their items never got in). Items already in stay to be taken;
   * waitForItems() callers wake up.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (let b = this.#blocked.shift(); b; b = this.#blocked.shift()) {
      b.signal?.removeEventListener('abort', b.onAbort);
      b.reject(new BufferClosedError());
    }
    this.#wakeItemWaiters();
  }

  #add(item: T): void {
    this.#items.push(item);
    this.#pushed++;
    if (this.#items.size > this.#maxSeen) this.#maxSeen = this.#items.size;
    if (this.#itemWaiters.length > 0) this.#wakeItemWaiters();
  }

  #block(item: T, signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.#blockedTotal++;
    return new Promise((resolve, reject) => {
      const blocked: BlockedPush<T> = {
        item,
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.#blocked.remove(blocked);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', blocked.onAbort, { once: true });
      this.#blocked.push(blocked);
    });
  }

  /** Blocked pushers go in, in arrival order, as far as space allows. */
  #admitBlocked(): void {
    while (this.#blocked.size > 0 && this.#items.size < this.maxEvents) {
      const b = this.#blocked.shift() as BlockedPush<T>;
      b.signal?.removeEventListener('abort', b.onAbort);
      this.#add(b.item);
      b.resolve();
    }
  }

  #wakeItemWaiters(): void {
    const waiters = this.#itemWaiters;
    this.#itemWaiters = [];
    for (const w of waiters) {
      w.signal?.removeEventListener('abort', w.onAbort);
      w.resolve();
    }
  }
}
