import type { ResolvedStreamOptions } from './options.js';

/** Which Events the stream reads: the URL path, the selectors, and the checkpoint scope they make. */
export interface EventsResource {
  readonly path: string;
  readonly selectors: Readonly<Record<string, string>>;
  /** A checkpoint saved for another scope is ignored on resume. */
  readonly scope: string;
}

export function eventsResource(options: ResolvedStreamOptions): EventsResource {
  const { apiGroup, namespace = '', fieldSelector = '', labelSelector = '' } = options;
  const base = apiGroup === 'core/v1' ? '/api/v1' : '/apis/events.k8s.io/v1';
  return {
    path: namespace
      ? `${base}/namespaces/${encodeURIComponent(namespace)}/events`
      : `${base}/events`,
    selectors: {
      ...(fieldSelector ? { fieldSelector } : {}),
      ...(labelSelector ? { labelSelector } : {}),
    },
    scope: [apiGroup, namespace, fieldSelector, labelSelector].join('|'),
  };
}
