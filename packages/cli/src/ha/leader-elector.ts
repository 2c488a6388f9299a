import { type Logger, silentLogger } from '@keventer/core';
import {
  describeApiError,
  type Lease,
  type LeaseApi,
  statusCodeOf,
  withTimeout,
} from './kube-api.js';
import { heldRecord, recordOf, releasedRecord, withRecord } from './lease-record.js';
import {
  type ElectionOptions,
  type ResolvedElectionOptions,
  resolveElectionOptions,
} from './options.js';
import { sleep } from './sleep.js';

/** Why the work passed to {@link LeaderElector.lead} is asked to stop. */
export type StopReason = 'stopping' | 'leadership lost';

/**
 * Lease-based leader election on coordination.k8s.io/v1, with client-go's
 * rules: a candidate takes the Lease when it has no holder or when the
 * holder has not renewed it for leaseDuration (measured on the candidate's
 * own clock from when it saw the Lease change, so clock skew does not
 * matter); every write carries the resourceVersion it read, so of two
 * candidates only one wins. The leader renews every retryPeriod, and stops
 * its work the moment it has not renewed for renewDeadline: before any other
 * replica can see the Lease expire.
 */
export class LeaderElector {
  readonly options: ResolvedElectionOptions;
  readonly #api: LeaseApi;
  readonly #logger: Logger;
  #observed: { resourceVersion: string; at: number } | undefined;
  #leading = false;
  /** When the last successful acquire or renew was sent: the lease is ours until at least then + leaseDuration. */
  #renewedAt = 0;

  constructor(api: LeaseApi, options: ElectionOptions, logger: Logger = silentLogger) {
    this.#api = api;
    this.options = resolveElectionOptions(options);
    this.#logger = logger;
  }

  get identity(): string {
    return this.options.identity;
  }

  /**
   * True while this replica leads and renewed within the renew deadline: the
   * fence for writes only the leader may make (the checkpoint).
   */
  holds(): boolean {
    return this.#leading && Date.now() - this.#renewedAt < this.options.renewDeadlineMs;
  }

  /**
   * Waits for the Lease, runs `work` while holding it, and repeats when
   * leadership is lost, until `signal` aborts. `work` gets a signal that
   * aborts when it must stop (its reason a {@link StopReason}); the Lease is
   * renewed until `work` returns, so a stopping leader saves its checkpoint
   * while it still leads, and only then releases the Lease for the next one.
   */
  async lead(work: (stop: AbortSignal) => Promise<void>, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      if (!(await this.#acquire(signal))) return;
      const stop = new AbortController();
      const finished = new AbortController();
      const onSignal = () => stop.abort('stopping' satisfies StopReason);
      signal.addEventListener('abort', onSignal, { once: true });
      if (signal.aborted) onSignal(); // aborted during the last try to acquire
      const renewing = this.#keepRenewing(stop, finished.signal);
      let failure: unknown;
      try {
        await work(stop.signal);
      } catch (error) {
        failure = error;
      } finally {
        finished.abort();
        signal.removeEventListener('abort', onSignal);
        await renewing;
      }
      const lost = stop.signal.reason === ('leadership lost' satisfies StopReason);
      if (!lost) await this.#release();
      this.#leading = false;
      if (failure !== undefined) throw failure;
      if (!lost) return;
    }
  }

  /** Tries every retryPeriod (with client-go's 1.2 jitter) until it holds the Lease; false if aborted first. */
  async #acquire(signal: AbortSignal): Promise<boolean> {
    const { retryPeriodMs, namespace, leaseName } = this.options;
    this.#logger.info(
      { identity: this.identity, lease: `${namespace}/${leaseName}` },
      'waiting to lead',
    );
    while (!signal.aborted) {
      if (await this.#tryAcquireOrRenew()) {
        this.#leading = true;
        this.#logger.info({ identity: this.identity }, 'became the leader');
        return true;
      }
      await sleep(retryPeriodMs * (1 + Math.random() * 0.2), signal);
    }
    return false;
  }

  /** Renews every retryPeriod until `finished`; aborts `stop` the moment the renew deadline passes or another holds the Lease. */
  async #keepRenewing(stop: AbortController, finished: AbortSignal): Promise<void> {
    const { renewDeadlineMs, retryPeriodMs } = this.options;
    let deadline: NodeJS.Timeout | undefined;
    const lose = (why: string) => {
      if (finished.aborted || stop.signal.reason === 'leadership lost') return;
      this.#leading = false;
      this.#logger.warn({ identity: this.identity }, `lost leadership: ${why}; stopping at once`);
      stop.abort('leadership lost' satisfies StopReason);
    };
    const armDeadline = () => {
      clearTimeout(deadline);
      const left = this.#renewedAt + renewDeadlineMs - Date.now();
      deadline = setTimeout(() => lose(`not renewed for ${renewDeadlineMs} ms`), Math.max(0, left));
    };
    armDeadline();
    try {
      while (!finished.aborted && this.#leading) {
        await sleep(retryPeriodMs, finished);
        if (finished.aborted || !this.#leading) break;
        const outcome = await this.#tryAcquireOrRenew();
        if (outcome) armDeadline();
        else if (this.#observedOtherHolder) lose('another replica holds the Lease');
      }
    } finally {
      clearTimeout(deadline);
    }
  }

  #observedOtherHolder = false;

  /** One GET, then a create or a guarded update; true when this replica holds the Lease afterwards. */
  async #tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, leaseName, identity, leaseDurationMs, renewDeadlineMs } = this.options;
    const sentAt = Date.now();
    const seconds = leaseDurationMs / 1000;
    this.#observedOtherHolder = false;
    const call = <T>(p: Promise<T>, what: string) => withTimeout(p, renewDeadlineMs, what);
    let lease: Lease;
    try {
      lease = await call(this.#api.read(namespace, leaseName), 'reading the Lease');
    } catch (error) {
      if (statusCodeOf(error) !== 404) return this.#failed('reading', error);
      const created = withRecord(
        { metadata: { name: leaseName, namespace } },
        heldRecord(undefined, identity, seconds, new Date()),
      );
      try {
        await call(this.#api.create(namespace, created), 'creating the Lease');
      } catch (createError) {
        return this.#failed('creating', createError);
      }
      this.#renewedAt = sentAt;
      return true;
    }
    const record = recordOf(lease);
    const resourceVersion = lease.metadata?.resourceVersion ?? '';
    if (this.#observed?.resourceVersion !== resourceVersion) {
      this.#observed = { resourceVersion, at: Date.now() };
    }
    const heldByOther = record.holderIdentity !== '' && record.holderIdentity !== identity;
    if (heldByOther && this.#observed.at + record.leaseDurationSeconds * 1000 > Date.now()) {
      this.#observedOtherHolder = true;
      return false;
    }
    const next = withRecord(lease, heldRecord(record, identity, seconds, new Date()));
    try {
      const written = await call(
        this.#api.replace(namespace, leaseName, next),
        'updating the Lease',
      );
      this.#observed = { resourceVersion: written.metadata?.resourceVersion ?? '', at: Date.now() };
    } catch (error) {
      return this.#failed('updating', error);
    }
    if (heldByOther) {
      this.#logger.info({ previous: record.holderIdentity }, 'took over an expired Lease');
    }
    this.#renewedAt = sentAt;
    return true;
  }

  #failed(what: string, error: unknown): false {
    // A 409 is another replica winning the race: expected, not worth a warning.
    const level = statusCodeOf(error) === 409 ? 'debug' : 'warn';
    this.#logger[level](
      { identity: this.identity },
      `${what} the Lease failed: ${describeApiError(error)}`,
    );
    return false;
  }

  /** Clears the holder (guarded by resourceVersion) so a waiting replica takes over on its next try. */
  async #release(): Promise<void> {
    const { namespace, leaseName, identity, renewDeadlineMs } = this.options;
    try {
      const lease = await withTimeout(
        this.#api.read(namespace, leaseName),
        renewDeadlineMs,
        'reading the Lease',
      );
      const record = recordOf(lease);
      if (record.holderIdentity !== identity) return;
      await withTimeout(
        this.#api.replace(
          namespace,
          leaseName,
          withRecord(lease, releasedRecord(record, new Date())),
        ),
        renewDeadlineMs,
        'releasing the Lease',
      );
      this.#logger.info({ identity }, 'released the Lease');
    } catch (error) {
      // Not fatal: the others take over when the Lease expires instead.
      this.#logger.warn({ identity }, `releasing the Lease failed: ${describeApiError(error)}`);
    }
  }
}
