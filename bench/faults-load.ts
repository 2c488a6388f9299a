// The soak's load: new Events and recurrences (count++ with a new message) on
// the fake API server, at a steady pace, each occurrence remembered by
// (uid, count) with the message the receiver must get for it.
import { buildEvent, createPrng, type FakeKubeApiServer } from '@keventer/testing';
import { occurrenceKey } from './faults-receiver.js';

const TICK_MS = 50;
const REASONS = [
  ['Warning', 'BackOff', 'Back-off restarting failed container app in pod'],
  ['Warning', 'Unhealthy', 'Liveness probe failed: HTTP probe failed with statuscode: 503 for pod'],
  ['Normal', 'Pulled', 'Container image "registry.example.com/shop/web:1.4.2" already present for'],
  [
    'Warning',
    'FailedMount',
    'MountVolume.SetUp failed for volume "config" : configmap not found for',
  ],
] as const;

interface Latest {
  namespace: string;
  name: string;
  count: number;
}

export class OccurrenceLoad {
  made = 0;
  recurrences = 0;
  /** Occurrences per second; raised for the last stretch. */
  perSecond: number;
  /** The load holds here until raised (to `total` for the last stretch). */
  limit: number;
  readonly #messages = new Map<string, string>();
  readonly #latest = new Map<string, Latest>();
  /**
   * Events whose latest occurrence the receiver already has: only these recur.
   * A relist (after a 410) sees an Event's latest count only, as with a real
   * apiserver, so two recurrences between lists would be one occurrence to any
   * client; this keeps every occurrence one the forwarder can see.
   */
  readonly #recurrable: string[] = [];
  readonly #inRecurrable = new Set<string>();
  readonly #prng = createPrng(20_261_127);

  constructor(
    private readonly server: FakeKubeApiServer,
    readonly total: number,
    perSecond: number,
    private readonly recurShare = 0.3,
  ) {
    this.perSecond = perSecond;
    this.limit = total;
  }

  get done(): boolean {
    return this.made >= this.total;
  }

  /** The message made for an occurrence; undefined if it was never made. */
  expected = (uid: string, count: number): string | undefined =>
    this.#messages.get(occurrenceKey(uid, count));

  /** The receiver got `(uid, count)`: if that is the Event's latest occurrence, it may recur. */
  delivered = (uid: string, count: number): void => {
    if (this.#latest.get(uid)?.count !== count || this.#inRecurrable.has(uid)) return;
    this.#inRecurrable.add(uid);
    this.#recurrable.push(uid);
  };

  /** Every occurrence made, by key. */
  keys(): IterableIterator<string> {
    return this.#messages.keys();
  }

  /** Makes occurrences at `perSecond` up to `limit`, until `total` or until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    let owed = 0;
    let last = performance.now();
    while (!this.done && !signal.aborted) {
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
      const now = performance.now();
      owed = this.made < this.limit ? owed + ((now - last) / 1000) * this.perSecond : 0;
      last = now;
      const count = Math.min(Math.floor(owed), Math.min(this.limit, this.total) - this.made);
      owed -= count;
      for (let i = 0; i < count; i++) this.#makeOne();
    }
  }

  #makeOne(): void {
    const seq = this.made++;
    if (this.#recurrable.length > 0 && this.#prng.next() < this.recurShare) {
      this.#recur(seq);
      return;
    }
    const [type, reason, text] = REASONS[seq % REASONS.length] as (typeof REASONS)[number];
    const namespace = `team-${seq % 20}`;
    const message = `${text} web-${seq} occurrence=${seq}`;
    const created = this.server.createEvent(
      buildEvent({
        type,
        reason,
        involvedObject: { kind: 'Pod', namespace, name: `web-${seq}` },
        message,
      }),
    );
    const uid = created.metadata?.uid ?? '';
    const name = created.metadata?.name ?? '';
    const count = Number(created.count ?? 1);
    this.#latest.set(uid, { namespace, name, count });
    this.#messages.set(occurrenceKey(uid, count), message);
  }

  #recur(seq: number): void {
    const index = this.#prng.int(0, this.#recurrable.length - 1);
    const uid = this.#recurrable[index] as string;
    // Swap-remove: O(1), order does not matter.
    this.#recurrable[index] = this.#recurrable[this.#recurrable.length - 1] as string;
    this.#recurrable.pop();
    this.#inRecurrable.delete(uid);
    const latest = this.#latest.get(uid) as Latest;
    const message = `recurred: occurrence=${seq}`;
    const updated = this.server.recurEvent(latest.namespace, latest.name, { message });
    latest.count = Number(updated.count ?? latest.count + 1);
    this.#messages.set(occurrenceKey(uid, latest.count), message);
    this.recurrences++;
  }
}
