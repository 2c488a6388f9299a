import { describe, expect, it, vi } from 'vitest';
import type { Checkpoint, CheckpointStore } from '../src/stream/checkpoint.js';
import { EventStream } from '../src/stream/event-stream.js';

/** Records when each save started; each save blocks the event loop for `blockMs` (its synchronous part). */
function timedStore(blockMs = 0): CheckpointStore & { readonly at: number[] } {
  const at: number[] = [];
  return {
    at,
    load: async () => undefined,
    save: async (_checkpoint: Checkpoint) => {
      at.push(performance.now());
      const end = performance.now() + blockMs;
      while (performance.now() < end); // the synchronous part, e.g. serializing 20k uids
    },
  };
}

// The stream is the one owner of checkpoint scheduling: the forwarder only asks
// (saveCheckpointSoon after each acknowledgement); these pin the schedule it keeps.
describe('EventStream.saveCheckpointSoon', () => {
  it('saves at once after a quiet spell, then at most once per maxDelayMs however often it is asked', async () => {
    const store = timedStore();
    const stream = new EventStream({ ack: 'manual', checkpoint: store, kubeConfig: 'unused' });
    for (let i = 0; i < 50; i++) stream.saveCheckpointSoon(200);
    await vi.waitFor(() => expect(store.at).toHaveLength(1), { timeout: 5000 });
    for (let i = 0; i < 50; i++) stream.saveCheckpointSoon(200);
    await vi.waitFor(() => expect(store.at).toHaveLength(2), { timeout: 5000 });
    const [first = 0, second = 0] = store.at;
    expect(second - first).toBeGreaterThanOrEqual(195); // asks within the delay coalesce into one save
    expect(stream.stats.checkpointSaves).toBe(2);
  });

  it('spaces saves 20 times the event-loop time a save takes when that exceeds maxDelayMs', async () => {
    const store = timedStore(15);
    const stream = new EventStream({ ack: 'manual', checkpoint: store, kubeConfig: 'unused' });
    stream.saveCheckpointSoon(1);
    await vi.waitFor(() => expect(store.at).toHaveLength(1), { timeout: 5000 });
    stream.saveCheckpointSoon(1);
    await vi.waitFor(() => expect(store.at).toHaveLength(2), { timeout: 5000 });
    const [first = 0, second = 0] = store.at;
    expect(second - first).toBeGreaterThanOrEqual(20 * 15 - 5); // timers may fire a little early
  });

  it('does nothing without a checkpoint store', async () => {
    const stream = new EventStream({ ack: 'manual', kubeConfig: 'unused' });
    stream.saveCheckpointSoon(0);
    await stream.saveCheckpoint();
    expect(stream.stats).toMatchObject({ checkpointSaves: 0, checkpointErrors: 0 });
  });
});
