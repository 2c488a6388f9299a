/**
 * A value kept on each event object in flight, under a private symbol: the
 * bookkeeping the stream and the forwarder need per event until it is handled.
 *
 * Not a Map keyed by events: when a Map outgrows its table, V8 leaves the old
 * table, with the keys it held, in the old generation, and the young-generation
 * GC treats what old objects point to as alive. Each long-lived Map churning
 * through events so kept about a hundred young events (and their parsed
 * objects) alive until the next full GC: scavenges took 2.4x as long in
 * `bench:ingest` (docs/performance.md).
 *
 * The property is not enumerable: JSON, spreads, `Object.keys` and equality
 * checks do not see it. Events that cannot take it (frozen or sealed by their
 * producer) are kept in a Map instead.
 */
export class EventTag<T extends NonNullable<unknown>> {
  readonly #key: symbol;
  readonly #fallback = new Map<object, T>();

  constructor(description: string) {
    this.#key = Symbol(description);
  }

  get(event: object): T | undefined {
    const own = (event as Record<symbol, T | undefined>)[this.#key];
    if (own !== undefined) return own;
    return this.#fallback.size === 0 ? undefined : this.#fallback.get(event);
  }

  set(event: object, value: T): void {
    const slots = event as Record<symbol, T | undefined>;
    if (this.#key in event) slots[this.#key] = value;
    else if (Object.isExtensible(event)) {
      Object.defineProperty(event, this.#key, { value, writable: true });
    } else this.#fallback.set(event, value);
  }

  /** Forgets the event's value (the property stays, undefined: deleting one makes V8 slow down the object). */
  clear(event: object): void {
    if (this.#key in event) (event as Record<symbol, T | undefined>)[this.#key] = undefined;
    else this.#fallback.delete(event);
  }
}
