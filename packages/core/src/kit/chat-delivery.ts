import { deliveryProfiles } from '../delivery/settings/profiles.js';
import type { DeliveryDefaults } from '../sink/contract/delivery.js';

/**
 * The `chatRobot` profile with a chat service's own limits over it, field by
 * field: `chatRobotDelivery({ request: { rateLimitNum: 1, rateLimitDurationMs: 1000 } })`.
 */
export function chatRobotDelivery(own: DeliveryDefaults = {}): DeliveryDefaults {
  const profile = deliveryProfiles.chatRobot;
  const groups = ['batch', 'request', 'buffer', 'aggregate'] as const;
  const merged: Record<string, object> = {};
  for (const group of groups) {
    const fields = { ...profile[group], ...own[group] };
    if (Object.keys(fields).length > 0) merged[group] = fields;
  }
  return merged as DeliveryDefaults;
}
