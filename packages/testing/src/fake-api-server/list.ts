import type { CoreV1EventObject, EventApiGroup } from '@keventer/core';
import { apiVersionOf, objectJson } from './convert.js';
import type { EventPredicate } from './selectors.js';
import { kubeStatus, StatusError } from './status.js';
import { type EventStore, keyOf } from './store.js';

interface ContinueToken {
  /** The snapshot's resourceVersion. */
  rv: number;
  /** The first key of the next page. */
  start: string;
}

/** An opaque continue token, shaped like the apiserver's (base64 JSON). */
function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', ...token })).toString('base64url');
}

function decodeContinue(text: string): ContinueToken | undefined {
  try {
    const parsed = JSON.parse(
      Buffer.from(text, 'base64url').toString('utf8'),
    ) as Partial<ContinueToken>;
    if (typeof parsed.rv === 'number' && typeof parsed.start === 'string') {
      return { rv: parsed.rv, start: parsed.start };
    }
  } catch {
    // not a token of ours
  }
  return undefined;
}

const expired = (): StatusError =>
  new StatusError(
    kubeStatus(
      410,
      'Expired',
      'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
    ),
  );

const storeKey = (e: CoreV1EventObject): string =>
  keyOf(e.metadata?.namespace ?? '', e.metadata?.name ?? '');

/**
 * Answers a list request: the matching Events in key order, paginated by
 * `limit`/`continue` over one consistent snapshot. Returns the JSON body.
 * Throws a 410 {@link StatusError} for an expired or unknown continue token.
 */
export function listEvents(
  store: EventStore,
  group: EventApiGroup,
  matches: EventPredicate,
  query: URLSearchParams,
): string {
  const continueParam = query.get('continue');
  let rv = store.resourceVersion;
  let start = '';
  let snapshot: CoreV1EventObject[] | undefined;
  if (continueParam) {
    const token = decodeContinue(continueParam);
    if (!token) throw expired();
    ({ rv, start } = token);
    snapshot = store.snapshotAt(rv);
    if (!snapshot) throw expired();
  } else {
    snapshot = store.list();
  }
  const items = snapshot.filter((e) => storeKey(e) >= start && matches(e));
  const limit = Number.parseInt(query.get('limit') ?? '', 10);
  const metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number } = {
    resourceVersion: String(rv),
  };
  let page = items;
  if (limit > 0 && items.length > limit) {
    page = items.slice(0, limit);
    metadata.continue = encodeContinue({
      rv,
      start: `${storeKey(page[limit - 1] as CoreV1EventObject)}\0`,
    });
    metadata.remainingItemCount = items.length - limit;
  }
  const head = JSON.stringify({ kind: 'EventList', apiVersion: apiVersionOf(group), metadata });
  const body = page.map((e) => objectJson(group, e)).join(',');
  return `${head.slice(0, -1)},"items":[${body}]}`;
}
