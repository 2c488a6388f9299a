import type { DeliveryDefaults } from '../../sink/contract/delivery.js';
import { SinkConfigError } from '../../sink/contract/errors.js';
import { type Layer, readObject, readUri, type Source, WHERE } from './read.js';
import { BY_PATH, type DeliveryInput, type DeliverySettings, ENTRIES } from './table.js';

export interface ResolveDeliveryOptions {
  /** Names the sink in errors: `[keventer] [dingtalk] ...`. */
  readonly sink: string;
  /** Given in code; wins over everything. */
  readonly explicit?: DeliveryInput;
  /** A sink URI's `batch.*` / `buffer.*` / `request.*` strings (`CreatedSink.delivery`). */
  readonly uri?: Readonly<Record<string, string>>;
  /** The sink definition's `delivery` (often a profile). */
  readonly sinkDefaults?: DeliveryDefaults;
}

// `small` must not exceed `large`; `why` ends the message.
const INVARIANTS = [
  { small: 'batch.maxEvents', large: 'buffer.maxEvents', why: 'a batch must fit in the buffer' },
  {
    small: 'request.retryInitialBackoffMs',
    large: 'request.retryMaxDurationMs',
    why: 'the first wait cannot exceed the whole retry budget',
  },
] as const;

/**
 * Merges delivery settings per field, first found wins: code, then the URI,
 * then the sink's defaults, then core's. Every value given is validated, even
 * one a higher source overrides (a typo should never pass silently); all
 * problems are thrown together as one SinkConfigError.
 */
export function resolveDeliverySettings(options: ResolveDeliveryOptions): DeliverySettings {
  const problems: string[] = [];
  const layers = [
    readObject('code', options.explicit, problems),
    readUri(options.uri, problems),
    readObject('sink', options.sinkDefaults, problems),
  ];
  const picked = new Map<string, { value: unknown; source: Source }>();
  for (const { path, spec } of ENTRIES) {
    const layer = layers.find((l) => l.values.has(path));
    picked.set(
      path,
      layer
        ? { value: layer.values.get(path), source: layer.source }
        : { value: spec.default, source: 'core' },
    );
  }
  for (const { small, large, why } of INVARIANTS) {
    if (isBad(layers, small) || isBad(layers, large)) continue;
    const a = picked.get(small);
    const b = picked.get(large);
    if (a && b && (a.value as number) > (b.value as number)) {
      problems.push(
        `delivery setting '${small}' (${format(small, a.value)} ${WHERE[a.source]}) must be at most '${large}' (${format(large, b.value)} ${WHERE[b.source]}): ${why}`,
      );
    }
  }
  if (problems.length > 0) throw new SinkConfigError(options.sink, problems);
  return build(picked);
}

function isBad(layers: readonly Layer[], path: string): boolean {
  return layers.some((l) => l.bad.has(path));
}

function format(path: string, value: unknown): string {
  return BY_PATH.get(path)?.spec.rule.format(value) ?? String(value);
}

// Frozen: the settings are shared by the engine's parts and must not drift.
function build(picked: ReadonlyMap<string, { value: unknown }>): DeliverySettings {
  const out: Record<string, Record<string, unknown>> = {};
  for (const { group, field, path } of ENTRIES) {
    const fields = out[group] ?? {};
    fields[field] = picked.get(path)?.value;
    out[group] = fields;
  }
  for (const fields of Object.values(out)) Object.freeze(fields);
  return Object.freeze(out) as unknown as DeliverySettings;
}
