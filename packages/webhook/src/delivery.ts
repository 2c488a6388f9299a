import { type DeliveryDefaults, deliveryProfiles } from '@keventer/core';
import type { BodyFormat } from './body.js';

/**
 * Delivery defaults per body format. One event per request goes out as soon
 * as it arrives (a batch of one never waits), in order (one request at a
 * time), as kube-eventer did without its 50 ms sleep. Batch bodies use the
 * realtime profile: up to 100 events, waiting at most a second for them.
 */
export function deliveryFor(format: BodyFormat): DeliveryDefaults {
  return format === 'event' ? { batch: { maxEvents: 1 } } : deliveryProfiles.realtime;
}
