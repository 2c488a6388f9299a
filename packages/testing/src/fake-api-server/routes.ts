import type { EventApiGroup } from '@keventer/core';

/** A request path that names Events. */
export interface EventsRoute {
  group: EventApiGroup;
  /** Set for namespaced paths. */
  namespace?: string;
  /** Set for a single Event's path. */
  name?: string;
}

const PREFIXES: [string, EventApiGroup][] = [
  ['/api/v1/', 'core/v1'],
  ['/apis/events.k8s.io/v1/', 'events.k8s.io/v1'],
];

/**
 * Matches `{prefix}events`, `{prefix}namespaces/{ns}/events` and
 * `{prefix}namespaces/{ns}/events/{name}` for both API groups.
 */
export function matchEventsPath(pathname: string): EventsRoute | undefined {
  for (const [prefix, group] of PREFIXES) {
    if (!pathname.startsWith(prefix)) continue;
    const parts = pathname
      .slice(prefix.length)
      .replace(/\/+$/, '')
      .split('/')
      .map(decodeURIComponent);
    if (parts.length === 1 && parts[0] === 'events') return { group };
    if (parts[0] !== 'namespaces' || parts[2] !== 'events' || !parts[1]) return undefined;
    if (parts.length === 3) return { group, namespace: parts[1] };
    if (parts.length === 4 && parts[3]) return { group, namespace: parts[1], name: parts[3] };
    return undefined;
  }
  return undefined;
}
