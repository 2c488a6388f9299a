import { LRUCache } from 'lru-cache';
import type { KubeEvent } from '../event/model.js';
import { isLaterOccurrence, type OccurrenceMark, occurrenceMark } from '../event/occurrence.js';
import { eventKey, objectReasonKey } from './keys.js';
import { type DedupOptions, resolveDedupOptions } from './options.js';

export interface DedupStats {
  /** Events let through since creation. */
  readonly accepted: number;
  /** Events held back as duplicates since creation. */
  readonly suppressed: number;
  /** Keys remembered now (never more than `maxEntries`). */
  readonly tracked: number;
}

export interface Dedup {
  /** True when the event should go on; false for a duplicate. Records it either way. */
  accept(event: KubeEvent): boolean;
  readonly stats: DedupStats;
  /** Forgets every key (counters keep counting: they are totals). */
  clear(): void;
}

type Seen = OccurrenceMark | true;

/**
 * A bounded duplicate check. Memory is capped by `maxEntries` (LRU) and each
 * entry expires after its TTL; a forgotten key passes again, so a later (or a
 * re-delivered) occurrence of an evicted event can go through once more.
 */
export function createDedup(options: DedupOptions = {}): Dedup {
  const o = resolveDedupOptions(options);
  // lru-cache reads the time several times per call; it gets the one reading
  // taken per event instead. Shifted by one: it takes a start of 0 as "no TTL".
  let current = 1;
  const cache = new LRUCache<string, Seen>({
    max: o.maxEntries,
    ttl: o.ttlMs,
    ttlResolution: 0,
    perf: { now: () => current },
    // uid modes: an event object lives in the API server for a TTL after its
    // last update, so each sighting renews the entry. Cooldown: a fixed window.
    updateAgeOnGet: o.mode !== 'cooldown',
  });
  let accepted = 0;
  let suppressed = 0;
  const isNew = decider(o.mode, cache, o.key ?? objectReasonKey);

  return {
    accept(event) {
      current = o.now() + 1;
      if (isNew(event)) {
        accepted++;
        return true;
      }
      suppressed++;
      return false;
    },
    stats: {
      get accepted() {
        return accepted;
      },
      get suppressed() {
        return suppressed;
      },
      get tracked() {
        return cache.size;
      },
    },
    clear() {
      cache.clear();
    },
  };
}

function decider(
  mode: DedupOptions['mode'],
  cache: LRUCache<string, Seen>,
  cooldownKey: (e: KubeEvent) => string,
): (e: KubeEvent) => boolean {
  if (mode === 'firstOnly') return (e) => remember(cache, eventKey(e), true);
  if (mode === 'cooldown') return (e) => remember(cache, cooldownKey(e), true);
  return (e) => {
    const key = eventKey(e);
    const mark = occurrenceMark(e);
    const previous = cache.get(key);
    if (previous !== undefined && !isLaterOccurrence(mark, previous as OccurrenceMark))
      return false;
    cache.set(key, mark);
    return true;
  };
}

/** True (and remembered) when `key` is not in force yet. */
function remember(cache: LRUCache<string, Seen>, key: string, value: Seen): boolean {
  if (cache.get(key) !== undefined) return false;
  cache.set(key, value);
  return true;
}
