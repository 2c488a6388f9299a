import type { KubeEvent } from '../event/model.js';
import { allOf, type EventFilter } from './combinators.js';
import { matchField, readers } from './fields.js';
import { byLevel, type EventType } from './level.js';
import { namespaceFilter } from './namespace.js';
import { compilePatterns, type Matcher } from './pattern.js';

/** A kube-eventer sink option as parsed from the URI: one value or each repeat of the key. */
type ListOption = string | readonly string[];

/** The filtering options of kube-eventer's dingtalk, wechat and webhook sinks. */
export interface KubeEventerFilterOptions {
  /** `Warning` or `Normal`; anything else is refused (kube-eventer passes everything). */
  level?: string;
  /** Comma list of namespaces, exact match. */
  namespaces?: ListOption;
  /** Comma list of involved-object kinds, exact match. */
  kinds?: ListOption;
  /** Comma list of reason regexes, unanchored (webhook only in kube-eventer). */
  reason?: ListOption;
}

export interface KubeEventerMappingOptions {
  /**
   * Level when none is given: kube-eventer's dingtalk and wechat use Warning;
   * its webhook filters no level, which is `Normal` plus any custom type:
   * pass `null` for that.
   * @default 'Warning'
   */
  defaultLevel?: EventType | null;
  /**
   * Whether Node and other cluster-scoped objects pass a `namespaces` list.
   * kube-eventer's dingtalk matches them as `default`, its webhook drops them.
   * @default true
   */
  clusterScoped?: boolean;
}

/** Maps kube-eventer sink options onto one filter, failing fast where kube-eventer is lenient. */
export function filterFromKubeEventerOptions(
  options: KubeEventerFilterOptions,
  mapping: KubeEventerMappingOptions = {},
): EventFilter {
  const { defaultLevel = 'Warning', clusterScoped = true } = mapping;
  const parts: EventFilter[] = [];
  const level = options.level ?? defaultLevel;
  if (level !== null) parts.push(byLevel(level as EventType));
  const namespaces = splitList(options.namespaces);
  if (namespaces) {
    const include = compilePatterns(namespaces, 'namespaces', 'exact');
    parts.push(namespaceFilter({ include, exclude: undefined }, clusterScoped));
  }
  const kinds = splitList(options.kinds);
  if (kinds) parts.push(only(readers.kinds, compilePatterns(kinds, 'kinds', 'exact')));
  const reasons = splitList(options.reason);
  if (reasons) parts.push(only(readers.reasons, compilePatterns(reasons, 'reason', 'regex')));
  return allOf(...parts);
}

/** kube-eventer splits the first value on commas; we also read repeats and trim spaces. */
function splitList(value: ListOption | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = (typeof value === 'string' ? [value] : value)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return items.length > 0 ? items : undefined;
}

function only(read: (e: KubeEvent) => string, include: Matcher): EventFilter {
  return matchField(read, { include, exclude: undefined });
}
