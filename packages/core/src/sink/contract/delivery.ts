/**
 * Delivery settings a sink definition suggests (its defaults profile). The
 * delivery engine owns batching, buffering and retries and reads these; a
 * sink only declares them. Units are in the names, times in milliseconds.
 * In a URI the same names appear as `batch.maxEvents=500`, `aggregate.windowMs=5m`.
 */
export interface DeliveryDefaults {
  readonly batch?: {
    readonly maxEvents?: number;
    readonly maxBytes?: number;
    readonly timeoutMs?: number;
  };
  readonly request?: {
    readonly concurrency?: number;
    readonly timeoutMs?: number;
    readonly rateLimitNum?: number;
    readonly rateLimitDurationMs?: number;
    readonly retryAttempts?: number;
    readonly retryInitialBackoffMs?: number;
    readonly retryMaxDurationMs?: number;
  };
  readonly buffer?: {
    readonly maxEvents?: number;
    readonly whenFull?: 'block' | 'dropOldest' | 'dropNewest';
  };
  /** Folding repeats into digests, for sinks read by people (chat robots). */
  readonly aggregate?: {
    readonly windowMs?: number;
    readonly by?: 'owner' | 'object';
    readonly maxEvents?: number;
  };
}
