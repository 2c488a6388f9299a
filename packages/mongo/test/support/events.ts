import { normalizeEvent } from '@keventer/core';
import { buildEvent } from '@keventer/testing';

/**
 * `length` Warning events of Pods web-<from>..., uids uid-<from>..., each at its
 * `count`-th occurrence, with a CJK and emoji message: the documents the mongo
 * tests write, against the fake and against a real MongoDB.
 */
export function shopEvents(length: number, from = 0, count = 3) {
  return Array.from({ length }, (_, i) =>
    normalizeEvent(
      buildEvent({
        metadata: { uid: `uid-${from + i}` },
        type: 'Warning',
        reason: 'BackOff',
        message: `Back-off ${from + i} 中文 ✓`,
        count,
        firstTimestamp: '2026-12-06T10:00:00Z',
        lastTimestamp: '2026-12-06T10:05:00Z',
        involvedObject: { kind: 'Pod', namespace: 'shop', name: `web-${from + i}` },
      }),
    ),
  );
}
