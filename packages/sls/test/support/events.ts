import { normalizeEvent } from '@keventer/core';
import { buildEvent } from '@keventer/testing';

/** `count` Warning events of Pods web-0..web-<count-1>, last seen a minute ago. */
export function podEvents(count: number, message = (i: number) => `Back-off restarting ${i}`) {
  const at = new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  return Array.from({ length: count }, (_, i) =>
    normalizeEvent(
      buildEvent({
        type: 'Warning',
        reason: 'BackOff',
        metadata: { uid: `uid-${i}` },
        message: message(i),
        involvedObject: { kind: 'Pod', namespace: 'shop', name: `web-${i}`, uid: `pod-uid-${i}` },
        source: { component: 'kubelet', host: 'node-7' },
        lastTimestamp: at,
      }),
    ),
  );
}
