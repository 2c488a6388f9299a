import { type DigestEvent, type KubeEvent, normalizeEvent } from '@keventer/core';
import { buildEvent } from '@keventer/testing';

export const AT = new Date('2026-01-02T03:04:05Z');

/** A normalized event about a Pod in `shop`, at a fixed time. */
export function podEvent(
  name: string,
  options: { type?: string; reason?: string; message?: string } = {},
): KubeEvent {
  return normalizeEvent(
    buildEvent(
      {
        type: options.type ?? 'Warning',
        reason: options.reason ?? 'BackOff',
        message: options.message ?? 'Back-off restarting failed container',
        involvedObject: { kind: 'Pod', namespace: 'shop', name },
      },
      { at: AT },
    ),
  );
}

/** A digest as the route's aggregation makes one: 12 repeats over two pods. */
export function digestEvent(): DigestEvent {
  const first = podEvent('web-1');
  return {
    ...first,
    digest: {
      key: 'shop/Pod:web-1/BackOff',
      count: 12,
      firstTimestamp: '2026-01-02T03:04:05.000Z',
      lastTimestamp: '2026-01-02T03:09:00.000Z',
      last: podEvent('web-2', { message: 'Back-off restarting failed container again' }),
      objects: ['Pod shop/web-1', 'Pod shop/web-2'],
      moreObjects: 0,
      windowMs: 300_000,
    },
  };
}

export const ctx = () => ({ signal: AbortSignal.timeout(10_000) });

/** The `Name: value` lines of kube-eventer's layout for `podEvent(name)`. */
export function fieldLines(name: string, message = 'Back-off restarting failed container'): string {
  return [
    'Level: Warning',
    'Kind: Pod',
    'Namespace: shop',
    `Name: ${name}`,
    'Reason: BackOff',
    'Timestamp: 2026-01-02T03:04:05.000Z',
    `Message: ${message}`,
  ].join('\n');
}
