import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { type KubeEvent, normalizeEvent } from '@keventer/core';
import type { Sink } from '@keventer/core/kit';
import { buildEvent } from '@keventer/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { COMPRESSIONS, kafka, OCCURRENCE_HEADER } from '../src/index.js';
import { freshTopic, readTopic, sharedBrokers } from './support/cluster.js';

const events = (count: number, tag: string): KubeEvent[] =>
  Array.from({ length: count }, (_, i) =>
    normalizeEvent(
      buildEvent({
        metadata: { uid: `${tag}-${i}` },
        type: 'Warning',
        reason: 'BackOff',
        // Repetitive text compresses; the CJK and emoji check the codecs' byte handling.
        message: `Back-off restarting failed container ${i} 中文 ✓ ${'x'.repeat(i % 300)}`,
        involvedObject: { kind: 'Pod', namespace: 'shop', name: `web-${i % 7}`, uid: `p-${i % 7}` },
        source: { component: 'kubelet', host: 'node-1' },
      }),
    ),
  );

const sinks: Sink[] = [];
afterEach(async () => {
  for (const sink of sinks.splice(0)) await sink.close?.();
});
const open = async (options: Parameters<typeof kafka>[0]) => {
  const sink = await kafka(options);
  sinks.push(sink);
  return sink;
};
const write = (sink: Sink, batch: KubeEvent[]) =>
  sink.write(batch, { signal: new AbortController().signal });

/** Bytes the process wrote to the brokers' sockets during `work` (Node's net.client.socket channel). */
async function bytesSent(work: () => Promise<void>): Promise<number> {
  const sockets: Socket[] = [];
  const onSocket = (message: unknown) => sockets.push((message as { socket: Socket }).socket);
  subscribe('net.client.socket', onSocket);
  try {
    await work();
  } finally {
    unsubscribe('net.client.socket', onSocket);
  }
  return sockets.reduce((sum, socket) => sum + socket.bytesWritten, 0);
}
const sent = new Map<string, number>();

describe('the kafka sink on the mock cluster, read back by kcat (librdkafka)', () => {
  it.each(COMPRESSIONS)(
    'writes a batch with compression=%s that librdkafka decodes',
    async (codec) => {
      const brokers = sharedBrokers();
      const topic = freshTopic(`codec-${codec}`);
      const sink = await open({ brokers, eventstopic: topic, compression: codec });
      const batch = events(300, codec);
      sent.set(codec, await bytesSent(() => write(sink, batch)));
      const read = await readTopic(brokers, topic);
      expect(read).toHaveLength(300);
      const byId = new Map(read.map((m) => [JSON.parse(m.payload).EventTags.eventID as string, m]));
      for (const event of batch) {
        const m = byId.get(event.uid);
        expect(m, event.uid).toBeDefined();
        const value = JSON.parse(m?.payload ?? '{}');
        expect(JSON.parse(value.EventValue).message).toBe(event.message);
        expect(m?.key).toBe(`Pod/shop/${event.involvedObject.name}`);
        expect(m?.headers[OCCURRENCE_HEADER]).toMatch(new RegExp(`^${event.uid}/1/`));
      }
    },
  );

  it('sends compressed batches: each codec writes under half the bytes of none', () => {
    const none = sent.get('none') ?? 0;
    console.log(`kafka: bytes sent for 300 events: ${JSON.stringify(Object.fromEntries(sent))}`);
    expect(none).toBeGreaterThan(300 * 1000);
    for (const codec of ['gzip', 'snappy', 'lz4']) {
      expect(sent.get(codec), codec).toBeLessThan(none / 2);
    }
  });

  it("writes the event's own JSON with format=event, and no key with message_key=none", async () => {
    const brokers = sharedBrokers();
    const topic = freshTopic('plain');
    const sink = await open({ brokers, eventstopic: topic, format: 'event', message_key: 'none' });
    const batch = events(20, 'plain');
    await write(sink, batch);
    const read = await readTopic(brokers, topic);
    expect(read.map((m) => JSON.parse(m.payload).metadata.uid).sort()).toEqual(
      batch.map((e) => e.uid).sort(),
    );
    expect(read.every((m) => m.key === null)).toBe(true);
  });

  it('connects once, on the first write, and disconnects on close()', async () => {
    const brokers = sharedBrokers();
    const topic = freshTopic('lazy');
    const sink = await kafka({ brokers: ['127.0.0.1:1'], eventstopic: topic });
    await sink.close?.(); // never connected: returns at once, no broker needed
    const real = await open({ brokers, eventstopic: topic });
    await write(real, events(1, 'lazy-a'));
    await write(real, events(1, 'lazy-b'));
    await real.close?.();
    expect(await readTopic(brokers, topic)).toHaveLength(2);
    await expect(write(real, events(1, 'lazy-c'))).rejects.toThrow(/closed/);
  });

  it('fails a write retryably while no broker answers, then writes once one does', async () => {
    const sink = await open({ brokers: ['127.0.0.1:1'], timeout: '300ms' });
    const error = await write(sink, events(1, 'down')).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: true, message: expect.stringMatching(/kafka/) });
  });
});
