import type { Sink } from '@keventer/core';
import { buildEvent, startForwarding, waitFor } from '@keventer/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { registerForwarderMetrics } from '../src/index.js';

describe('the stream counters', () => {
  it('exposes retries and malformed list items', async () => {
    const sink: Sink = { name: 'webhook', async write() {} };
    const { api, forwarder } = await startForwarding([{ name: 'hook', sink }], {
      stream: { backoff: { initialMs: 20, maxMs: 100 } },
      registerCleanup: onTestFinished,
    });
    // An object whose uid is no string: malformed as a watch line, then as a
    // list item. The 410 queued first makes the reconnect after the bad line
    // relist (retry 2), and the list skips the object (a malformed item).
    api.faults.force410({ via: 'http' });
    api.createEvent(
      buildEvent({ metadata: { uid: 42 as unknown as string }, involvedObject: { name: 'bad' } }),
    );
    await waitFor(() => {
      const { stream } = forwarder.metrics();
      return stream.malformedItems === 1 && stream.phase === 'watching';
    });
    const { stream } = forwarder.metrics();
    expect(stream).toMatchObject({ malformedLines: 1, relists: 1, retries: 2 });

    const lines = new Set((await registerForwarderMetrics(forwarder).metrics()).split('\n'));
    for (const line of [
      '# TYPE keventer_stream_retries_total counter',
      'keventer_stream_retries_total 2',
      '# TYPE keventer_stream_malformed_items_total counter',
      'keventer_stream_malformed_items_total 1',
      'keventer_stream_malformed_lines_total 1',
    ]) {
      expect(lines, line).toContain(line);
    }
  });
});
