import { buildEvent, startForwarding } from '@keventer/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { mongo } from '../src/index.js';
import { FakeMongo } from './support/fake-mongo.js';

/** Polls until `predicate` holds; throws with what it saw at the deadline. */
async function until(predicate: () => boolean, what: () => string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a forwarder from the fake API server to the wire-protocol server', () => {
  it('writes 2,000 events, each once, in batched inserts', async () => {
    const server = await FakeMongo.start();
    onTestFinished(() => server.close());
    // kube-eventer's URI form: the whole query is the connection string.
    const sink = await mongo.fromUri(`mongo:?${server.url}&batch.maxEvents=500`);
    const forwarding = await startForwarding([{ sink }], { registerCleanup: onTestFinished });
    for (let i = 0; i < 2000; i++) {
      forwarding.api.createEvent(
        buildEvent({
          type: 'Warning',
          involvedObject: { kind: 'Pod', namespace: 'shop', name: `p${i}` },
        }),
      );
    }
    await until(
      () => server.documents().length >= 2000,
      () => `${server.documents().length} documents`,
    );
    const report = await forwarding.stop();
    expect(server.documents()).toHaveLength(2000);
    expect(new Set(server.documents().map((d) => d.event_id)).size).toBe(2000);
    expect(server.inserts).toBeLessThanOrEqual(20); // batches, never one insert per event
    expect(report.routes.mongo?.sent).toBe(2000);
  }, 30_000);
});
