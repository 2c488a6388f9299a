import { eventTime, objectRef } from '../event/format.js';
import type { KubeEvent } from '../event/model.js';
import { type DigestEvent, type EventDigest, MAX_DIGEST_OBJECTS } from './digest.js';
import { type AggregateBy, aggregateKey } from './keys.js';

export interface AggregatorOptions {
  readonly windowMs: number;
  readonly by: AggregateBy;
  /** Most occurrences held in open windows; past it the oldest window closes early. */
  readonly maxEvents: number;
  /** Overrides `by`. */
  readonly key?: (event: KubeEvent) => string;
  /** Passes an event or digest on (a promise when the next stage is full; `signal` cuts the wait). */
  readonly emit: (event: KubeEvent, signal?: AbortSignal) => Promise<void> | undefined;
  /** @default Date.now */
  readonly now?: () => number;
}

/** One key's window: the occurrences folded so far, after the one that went out. */
interface Window {
  readonly key: string;
  readonly closesAt: number;
  readonly members: KubeEvent[];
}

// Distinct objects counted per digest beyond the ones listed (a bound, not a limit on events).
const MAX_COUNTED_OBJECTS = 1000;

/**
 * Noise control for sinks read by people. The first occurrence of a key goes
 * out at once; its repeats until the window closes are held and go out as one
 * digest; while a key keeps repeating, every window ends in a digest. Held
 * occurrences are released with their digest (`membersOf`), so the checkpoint
 * never passes an occurrence that is only in a window.
 */
export class Aggregator {
  readonly stats = { aggregated: 0, digests: 0 };
  readonly #options: AggregatorOptions;
  readonly #now: () => number;
  readonly #key: (event: KubeEvent) => string;
  // Insertion order is closing order: every window lasts windowMs from its opening.
  readonly #windows = new Map<string, Window>();
  readonly #members = new WeakMap<KubeEvent, readonly KubeEvent[]>();
  #held = 0;
  #timer: NodeJS.Timeout | undefined;
  #closing: Promise<void> = Promise.resolve();

  constructor(options: AggregatorOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#key = options.key ?? ((event) => aggregateKey(event, options.by));
  }

  /** How many occurrences are held in open windows. */
  get held(): number {
    return this.#held;
  }

  /** The occurrences a digest stands for; undefined for a plain event. */
  membersOf(event: KubeEvent): readonly KubeEvent[] | undefined {
    return this.#members.get(event);
  }

  /** A promise means the next stage is full: wait before offering more (`signal` cuts the wait). */
  offer(event: KubeEvent, signal?: AbortSignal): Promise<void> | undefined {
    const key = this.#key(event);
    const open = this.#windows.get(key);
    if (!open) {
      this.#open(key);
      return this.#options.emit(event, signal);
    }
    open.members.push(event);
    this.#held++;
    this.stats.aggregated++;
    if (this.#held <= this.#options.maxEvents) return undefined;
    // Too much held: the oldest window with anything in it goes out now.
    return this.#serialize(() => this.#closeOldestEarly(signal));
  }

  /** Sends every open window's digest now (shutdown) and stops the timer. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#serialize(async () => {
      const windows = [...this.#windows.values()];
      this.#windows.clear();
      for (const window of windows) await this.#emitDigest(window);
    });
  }

  #open(key: string): void {
    this.#windows.set(key, { key, closesAt: this.#now() + this.#options.windowMs, members: [] });
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer) return;
    const first = this.#windows.values().next().value;
    if (!first) return;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        void this.#serialize(() => this.#closeDue());
      },
      Math.max(0, first.closesAt - this.#now()),
    );
    this.#timer.unref();
  }

  // Closings run one at a time: a digest may wait for room downstream. One
  // that fails (its wait cut by a stop) leaves its occurrences unreleased, so
  // they are replayed from the checkpoint; the next closing still runs.
  #serialize(task: () => Promise<void>): Promise<void> {
    const run = this.#closing.catch(() => {}).then(task);
    this.#closing = run;
    return run;
  }

  async #closeDue(): Promise<void> {
    const now = this.#now();
    for (const window of this.#windows.values()) {
      if (window.closesAt > now) break;
      this.#windows.delete(window.key);
      if (window.members.length === 0) continue; // a quiet window: the next occurrence goes out at once
      this.#open(window.key); // still repeating: the next digest collects from now
      await this.#emitDigest(window);
    }
    this.#schedule();
  }

  async #closeOldestEarly(signal?: AbortSignal): Promise<void> {
    for (const window of this.#windows.values()) {
      if (window.members.length === 0) continue;
      this.#windows.delete(window.key);
      this.#open(window.key);
      await this.#emitDigest(window, signal);
      return;
    }
  }

  async #emitDigest(window: Window, signal?: AbortSignal): Promise<void> {
    const { members } = window;
    if (members.length === 0) return;
    this.#held -= members.length;
    this.stats.digests++;
    const digestEvent = buildDigest(window.key, members, this.#options.windowMs);
    this.#members.set(digestEvent, members);
    await this.#options.emit(digestEvent, signal);
  }
}

function buildDigest(key: string, members: readonly KubeEvent[], windowMs: number): DigestEvent {
  const first = members[0] as KubeEvent;
  const last = members[members.length - 1] as KubeEvent;
  const objects = new Set<string>();
  for (const member of members) {
    if (objects.size >= MAX_COUNTED_OBJECTS) break;
    objects.add(objectRef(member));
  }
  const listed = [...objects].slice(0, MAX_DIGEST_OBJECTS);
  const digest: EventDigest = {
    key,
    count: members.length,
    firstTimestamp: eventTime(first),
    lastTimestamp: eventTime(last),
    last,
    objects: listed,
    moreObjects: objects.size - listed.length,
    windowMs,
  };
  return { ...first, digest };
}
