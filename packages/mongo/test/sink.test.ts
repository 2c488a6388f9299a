import { isPartialWriteError, type Sink } from '@keventer/core/kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mongo } from '../src/index.js';
import { shopEvents } from './support/events.js';
import { FakeMongo } from './support/fake-mongo.js';

const events = (length: number, from = 0) => shopEvents(length, from);

const write = (sink: Sink, batch: ReturnType<typeof events>) =>
  sink.write(batch, { signal: new AbortController().signal });

describe('mongo sink against a wire-protocol server', () => {
  let server: FakeMongo;
  let sink: Sink;
  beforeEach(async () => {
    server = await FakeMongo.start();
    sink = await mongo({ url: server.url });
  });
  afterEach(async () => {
    await sink.close?.();
    await server.close();
  });

  it("writes kube-eventer's documents to k8s.event in one insert per batch", async () => {
    await write(sink, events(3));
    expect(server.inserts).toBe(1);
    const docs = server.documents('k8s.event');
    expect(docs).toHaveLength(3);
    expect(docs[0]).toMatchObject({
      count: 3,
      namespace: 'shop',
      kind: 'Pod',
      name: 'web-0',
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off 0 中文 ✓',
      event_id: 'uid-0',
      first_occurrence_time: new Date('2026-12-06T10:00:00Z'),
      last_occurrence_time: new Date('2026-12-06T10:05:00Z'),
    });
    expect(String(docs[0]?._id)).toMatch(/^uid-0\//);
  });

  it('leaves one document per occurrence when the same batch is written twice', async () => {
    await write(sink, events(5));
    await write(sink, events(5)); // every document a duplicate key: delivered
    await write(sink, events(4, 3)); // two old, two new
    expect(server.documents()).toHaveLength(7);
  });

  it('reports a refused document alone (partialFailure), a duplicate as delivered', async () => {
    await write(sink, events(1, 1));
    server.refuse = (doc) =>
      doc.name === 'web-2' ? { code: 121, errmsg: 'Document failed validation' } : undefined;
    const error = await write(sink, events(4)).catch((e: unknown) => e);
    expect(isPartialWriteError(error)).toBe(true);
    const failures = (
      error as { failures: { index: number; error: { retryable: boolean; message: string } }[] }
    ).failures;
    expect(failures.map((f) => [f.index, f.error.retryable])).toEqual([[2, false]]);
    expect(failures[0]?.error.message).toMatch(/121.*validator/);
    expect(server.inserts).toBe(2);
    expect(
      server
        .documents()
        .map((d) => d.name)
        .sort(),
    ).toEqual(['web-0', 'web-1', 'web-3']);
  });

  it.each([
    [91, 'ShutdownInProgress'],
    [189, 'PrimarySteppedDown'],
    [10107, 'NotWritablePrimary'],
    [16500, 'TooManyRequests'],
  ])('retries error %i (%s)', async (code, codeName) => {
    server.faults.set('insert', { code, codeName, times: 1 });
    await expect(write(sink, events(1))).rejects.toMatchObject({ retryable: true });
    expect(server.inserts).toBe(1); // one attempt: retrying is the engine's
    await write(sink, events(1));
    expect(server.documents()).toHaveLength(1);
  });

  it.each([
    [18, 'AuthenticationFailed', /password/],
    [13, 'Unauthorized', /readWrite/],
  ])('fails error %i (%s) permanently, saying what to fix', async (code, codeName, hint) => {
    server.faults.set('insert', { code, codeName });
    const error = await write(sink, events(1)).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: false, message: expect.stringMatching(hint) });
  });

  it('retries a lost connection and writes once the server is back', async () => {
    await write(sink, events(1));
    server.dropConnections();
    const outcome = await write(sink, events(2)).then(
      () => 'written',
      (e: { retryable?: boolean }) => (e.retryable ? 'retryable' : 'permanent'),
    );
    expect(['written', 'retryable']).toContain(outcome);
    await write(sink, events(2));
    expect(server.documents()).toHaveLength(2);
  });

  it('closes its pooled connections on close()', async () => {
    await write(sink, events(1));
    expect(server.openConnections).toBeGreaterThan(0);
    await sink.close?.();
    const deadline = Date.now() + 5000;
    while (server.openConnections > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(server.openConnections).toBe(0);
    expect(server.commands).toContain('endSessions');
  });
});
