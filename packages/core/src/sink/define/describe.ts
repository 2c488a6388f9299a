import type { DeliveryDefaults } from '../contract/delivery.js';
import type { OptionKind, OptionSchema } from '../options/options.js';

/** One option as documented in generated docs and CLI help. */
export interface OptionDescription {
  readonly name: string;
  readonly kind: OptionKind;
  readonly description: string;
  /** In words: 'one of Warning, Normal (case-sensitive)'. */
  readonly accepts: string;
  readonly required: boolean;
  readonly secret: boolean;
  readonly aliases: readonly string[];
  readonly env?: string;
  /** Absent for secrets and options without a default. */
  readonly default?: unknown;
  /** False for values only code can give (streams, functions). */
  readonly inUri: boolean;
}

export interface SinkDescription {
  readonly scheme: string;
  readonly description: string;
  readonly options: readonly OptionDescription[];
  readonly delivery: DeliveryDefaults;
}

export function describeOptions(schema: OptionSchema): OptionDescription[] {
  return Object.entries(schema).map(([name, o]) => ({
    name,
    kind: o.kind,
    description: o.description,
    accepts: o.accepts,
    required: o.required,
    secret: o.secret,
    aliases: o.aliases,
    ...(o.env === undefined ? {} : { env: o.env }),
    ...(o.default === undefined || o.secret ? {} : { default: o.default }),
    inUri: o.fromText,
  }));
}
