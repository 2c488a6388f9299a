import { isSinkError } from '../sink/contract/errors.js';
import { toSinkError } from '../sink/contract/to-sink-error.js';

/** An access token as gettoken issued it. */
export interface IssuedToken {
  readonly token: string;
  readonly expiresInMs: number;
}

// Refresh this long before expiry, so a token never expires between fetch and use.
const MAX_MARGIN_MS = 300_000;
// A refused secret stays refused until someone fixes it: answer with that refusal
// for a while instead of asking WeCom again for every message.
const REFUSAL_TTL_MS = 60_000;

/**
 * An API access token shared by every write of a sink (WeCom's application
 * token): fetched when first needed, kept until shortly before it expires,
 * and fetched once for all the writes that need a new one at the same time.
 * A permanent refusal (a wrong secret) is answered from memory for a minute.
 */
export class AccessTokenCache {
  #current: { token: string; refreshAt: number } | undefined;
  #pending: Promise<string> | undefined;
  #refused: { error: unknown; until: number } | undefined;

  constructor(
    private readonly sink: string,
    private readonly fetchToken: () => Promise<IssuedToken>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached token, or the one being fetched; `signal` only stops this caller's wait. */
  get(signal: AbortSignal): Promise<string> {
    if (signal.aborted) return Promise.reject(toSinkError(this.sink, signal.reason));
    const current = this.#current;
    if (current && this.now() < current.refreshAt) return Promise.resolve(current.token);
    if (this.#refused && this.now() < this.#refused.until)
      return Promise.reject(this.#refused.error);
    if (this.#pending === undefined) {
      this.#pending = this.#fetch();
      // Every waiter may have given up by the time it fails.
      this.#pending.catch(() => {});
    }
    return waitFor(this.sink, this.#pending, signal);
  }

  /**
   * Runs `call` with the token; when the service refuses it (`refused`: expired
   * or invalid), drops it and runs `call` once more with a fresh one. The second
   * result is returned whatever it is: a second refusal is the caller's error, not a loop.
   */
  async call<T>(
    signal: AbortSignal,
    call: (token: string) => Promise<T>,
    refused: (result: T) => boolean,
  ): Promise<T> {
    const token = await this.get(signal);
    const result = await call(token);
    if (!refused(result)) return result;
    this.invalidate(token);
    return call(await this.get(signal));
  }

  /** Drops `token` if it is still the cached one: the service called it expired or invalid. */
  invalidate(token: string): void {
    if (this.#current?.token === token) this.#current = undefined;
  }

  async #fetch(): Promise<string> {
    try {
      const issued = await this.fetchToken();
      const margin = Math.min(MAX_MARGIN_MS, issued.expiresInMs / 10);
      this.#current = { token: issued.token, refreshAt: this.now() + issued.expiresInMs - margin };
      this.#refused = undefined;
      return issued.token;
    } catch (error) {
      if (isSinkError(error) && !error.retryable)
        this.#refused = { error, until: this.now() + REFUSAL_TTL_MS };
      throw error;
    } finally {
      this.#pending = undefined;
    }
  }
}

// The fetch is shared: one writer giving up must not cancel it for the others.
function waitFor<T>(sink: string, shared: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(toSinkError(sink, signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    shared.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
