import type { DeliveryDefaults } from '../../sink/contract/delivery.js';
import { resolveDeliverySettings } from './resolve.js';
import { ENTRIES } from './table.js';

/** One delivery setting as shown in docs and CLI help. */
export interface DeliverySettingDescription {
  /** As written in a URI: `batch.maxEvents`. */
  readonly name: string;
  readonly type: 'integer' | 'milliseconds' | 'enum';
  /** In words: 'a positive integer'. */
  readonly accepts: string;
  /** As written in a URI ('unlimited' for Infinity). */
  readonly default: string;
  readonly description: string;
}

/**
 * Rows for every delivery setting. With a sink's defaults (`definition.delivery`)
 * the defaults column shows what that sink uses.
 */
export function describeDeliverySettings(
  sinkDefaults?: DeliveryDefaults,
): DeliverySettingDescription[] {
  const resolved = resolveDeliverySettings({ sink: '', sinkDefaults }) as unknown as Record<
    string,
    Record<string, unknown>
  >;
  return ENTRIES.map(({ group, field, path, spec }) => ({
    name: path,
    type: spec.rule.type,
    accepts: spec.rule.accepts,
    default: spec.rule.format(resolved[group]?.[field]),
    description: spec.description,
  }));
}
