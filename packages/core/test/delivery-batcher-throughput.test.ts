import { expect, it } from 'vitest';
import { createBatcher } from '../src/delivery/batcher.js';
import { EventBuffer } from '../src/delivery/buffer.js';
import type { KubeEvent } from '../src/event/model.js';
import { kubeEvent } from './support/kube-event.js';

const TOTAL = 1_000_000;

/** 1M events from a producer that respects backpressure through buffer and batcher. */
async function run(): Promise<{ ms: number; batches: number; received: number }> {
  const events = Array.from({ length: 64 }, (_, i) => kubeEvent({ uid: `u-${i}` }));
  const buffer = new EventBuffer<KubeEvent>({ maxEvents: 10_000 });
  const batcher = createBatcher({ buffer, maxEvents: 500, maxBytes: 1_000_000, timeoutMs: 1000 });
  const start = performance.now();
  const producer = (async () => {
    for (let i = 0; i < TOTAL; i++) {
      const p = buffer.push(events[i & 63] as KubeEvent);
      if (p) await p;
    }
    buffer.close();
  })();
  let batches = 0;
  let received = 0;
  for (let batch = await batcher.next(); batch; batch = await batcher.next()) {
    batches++;
    received += batch.length;
  }
  await producer;
  return { ms: performance.now() - start, batches, received };
}

it('moves 1M events through buffer and batcher in well under a second', async () => {
  await run(); // warm up the JIT
  const { ms, batches, received } = await run();
  console.log(
    `[delivery throughput] ${TOTAL} events in ${ms.toFixed(0)} ms ` +
      `(${Math.round(TOTAL / (ms / 1000)).toLocaleString('en')} events/s, ${batches} batches)`,
  );
  expect(received).toBe(TOTAL);
  expect(batches).toBe(TOTAL / 500);
  expect(ms).toBeLessThan(1000);
});
