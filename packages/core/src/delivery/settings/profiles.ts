import type { DeliveryDefaults } from '../../sink/contract/delivery.js';

/**
 * Named delivery profiles: plain data a sink declares as its `delivery`
 * (`delivery: deliveryProfiles.chatRobot`). Each sets only what differs from
 * the core defaults; see docs/delivery-settings.md for why.
 */
export type DeliveryProfileName = 'realtime' | 'bulk' | 'chatRobot' | 'none';

export const deliveryProfiles: Readonly<Record<DeliveryProfileName, DeliveryDefaults>> = freeze({
  /** Small batches sent within a second: webhooks, log shippers (the core defaults' batching). */
  realtime: { batch: { maxEvents: 100, timeoutMs: 1000 } },
  /** Big, slower batches for bulk APIs such as Elasticsearch's `_bulk`. */
  bulk: {
    batch: { maxEvents: 1000, maxBytes: 5_000_000, timeoutMs: 5000 },
    // A 5 MB bulk request can take a while to index.
    request: { timeoutMs: 60_000 },
  },
  /** One message per event, 20 a minute (DingTalk, WeChat Work, Lark robots). */
  chatRobot: {
    batch: { maxEvents: 1 },
    // 62 s, not 60: the robot counts arrivals, we count starts; 2 s absorbs the
    // difference, where a 21st message in the robot's minute blocks it for 10.
    request: { concurrency: 1, rateLimitNum: 20, rateLimitDurationMs: 62_000 },
    // 5 minutes of messages at the limit; beyond that drop the flood, keep the first
    // (most telling) messages, and never slow the other sinks down by blocking.
    buffer: { maxEvents: 100, whenFull: 'dropNewest' },
    // The first occurrence of a key goes out at once, its repeats in the next
    // 5 minutes as one digest: a crash loop is two messages, not thirty.
    aggregate: { windowMs: 300_000 },
  },
  /**
   * No batching by the engine, for sinks whose client batches itself (Kafka):
   * no waiting to fill a batch, whatever is queued is handed over at once.
   * While one hand-off is in flight, events queue up, so bursts still go together.
   */
  none: { batch: { maxEvents: 1000, timeoutMs: 0 } },
});

// Profiles are shared by every sink using them: a change by one must not leak to the others.
function freeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) freeze(inner);
    Object.freeze(value);
  }
  return value;
}
