// The events of the sinks benchmark: Warning BackOff events of pods in 20
// namespaces, each its own object (so each is its own row, point or message),
// with a kubelet-sized message. The API server serves them to the forwarder;
// the per-event baselines write the same events, normalized as EventStream does.
import { randomUUID } from 'node:crypto';
import type { CoreV1EventObject } from '@keventer/core';
import { type KubeEvent, normalizeEvent } from '@keventer/core';
import { buildEvent } from '@keventer/testing';

export function benchEvent(seq: number, run: string): CoreV1EventObject {
  const name = `web-${run}-${seq}`;
  return buildEvent({
    type: 'Warning',
    reason: 'BackOff',
    involvedObject: { kind: 'Pod', namespace: `team-${seq % 20}`, name, uid: randomUUID() },
    message: `Back-off restarting failed container app in pod ${name}_team-${seq % 20}(${seq})`,
  });
}

/** Events as the forwarder's sink gets them (a uid as the API server gives one). */
export function benchKubeEvents(count: number, run: string): KubeEvent[] {
  const events: KubeEvent[] = [];
  for (let seq = 0; seq < count; seq++) {
    const obj = benchEvent(seq, run);
    events.push(
      normalizeEvent({
        ...obj,
        metadata: { ...obj.metadata, uid: randomUUID(), resourceVersion: String(seq + 1) },
      }),
    );
  }
  return events;
}
