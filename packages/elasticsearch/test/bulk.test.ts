import { createSinkFromUri, normalizeEvent } from '@keventer/core';
import { isPartialWriteError, type PartialWriteError, type Sink } from '@keventer/core/kit';
import { buildEvent, startForwarding, waitFor } from '@keventer/testing';
import { afterEach, beforeEach, expect, it, onTestFinished } from 'vitest';
import { elasticsearch } from '../src/index.js';
import { FakeElasticsearch } from './support/fake-elasticsearch.js';

let es: FakeElasticsearch;
beforeEach(async () => {
  es = new FakeElasticsearch();
  await es.start();
});
afterEach(() => es.stop());

const events = (count: number, day = '2026-03-04') =>
  Array.from({ length: count }, (_, i) =>
    normalizeEvent(
      buildEvent({
        type: 'Warning',
        reason: 'BackOff',
        metadata: { uid: `uid-${day}-${i}` },
        message: `back-off ${i}`,
        involvedObject: { kind: 'Pod', namespace: 'shop', name: `web-${i}` },
        lastTimestamp: `${day}T23:59:5${i % 10}Z`,
      }),
    ),
  );
const write = (sink: Sink, batch: ReturnType<typeof events>) =>
  sink.write(batch, { signal: new AbortController().signal });
const partial = async (work: Promise<unknown>) => {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isPartialWriteError(error), String(error)).toBe(true);
  return error as PartialWriteError;
};

it('writes one _bulk per batch into the daily index of the event time, kube-eventer’s document', async () => {
  const sink = await elasticsearch({ endpoint: es.url, index: 'k8s', cluster_name: 'east' });
  await write(sink, events(3));
  expect(es.requests).toHaveLength(1);
  expect([...es.indices.keys()]).toEqual(['k8s-2026.03.04']);
  const [doc] = es.documents();
  expect(doc).toMatchObject({
    Count: 1,
    Reason: 'BackOff',
    Type: 'Warning',
    InvolvedObject: { kind: 'Pod', name: 'web-0' },
    LastOccurrenceTimestamp: '2026-03-04T23:59:50Z',
    EventTags: { cluster_name: 'east', pod_name: 'web-0' },
  });
});

it('replaying the same batch twice leaves one document per occurrence (create: 409 is delivered)', async () => {
  const sink = await elasticsearch({ endpoint: es.url });
  const batch = events(5);
  await write(sink, batch);
  await write(sink, batch);
  expect(es.requests).toHaveLength(2);
  expect(es.documents()).toHaveLength(5);
});

it('a per-item es_rejected_execution_exception 429 is retried alone; the retry lands it once', async () => {
  const sink = await elasticsearch({ endpoint: es.url });
  const batch = events(4);
  es.itemFault = (doc) =>
    (doc.InvolvedObject as { name: string }).name === 'web-2'
      ? {
          status: 429,
          type: 'es_rejected_execution_exception',
          reason: 'rejected execution of coordinating operation',
        }
      : undefined;
  const error = await partial(write(sink, batch));
  expect(error.failures.map((f) => [f.index, f.error.retryable])).toEqual([[2, true]]);
  es.itemFault = undefined;
  await write(sink, [batch[2] as (typeof batch)[number]]);
  expect(es.documents()).toHaveLength(4);
});

it('a mapping error is permanent, names the field and says what to fix', async () => {
  const sink = await elasticsearch({ endpoint: es.url });
  await write(sink, events(1));
  const other = events(2).map((e) => ({
    ...e,
    raw: { ...e.raw, metadata: { ...e.raw.metadata, name: 7 } },
  }));
  // Metadata.name was text; a number there is a mapping conflict.
  const error = await partial(write(sink, other as unknown as ReturnType<typeof events>));
  expect(error.failures.length).toBeGreaterThan(0);
  const first = error.failures[0]?.error;
  expect(first?.retryable).toBe(false);
  expect(first?.message).toMatch(/Metadata\.name.*fix the index template/);
});

it('a cut answer keeps the items read and writes the rest again, until all are there', async () => {
  const sink = await elasticsearch({ endpoint: es.url });
  const batch = events(400);
  await write(sink, batch);
  // A replay answers 400 conflicts with reasons: far over the 16 KiB answer bound.
  let rest = batch;
  for (let round = 0; rest.length > 0 && round < 20; round++) {
    const error = await write(sink, rest).then(
      () => undefined,
      (e: unknown) => e as PartialWriteError,
    );
    rest = error ? error.failures.map((f) => rest[f.index] as (typeof rest)[number]) : [];
    if (error) expect(error.failures.every((f) => f.error.retryable)).toBe(true);
  }
  expect(rest).toEqual([]);
  expect(es.documents()).toHaveLength(400);
});

it('writes a data stream with @timestamp, and ver=6 sends _type events', async () => {
  es.dataStreams.add('logs-k8s-default');
  const stream = await elasticsearch({ endpoint: es.url, data_stream: 'logs-k8s-default' });
  await write(stream, events(2));
  expect(es.documents()[0]?.['@timestamp']).toBe('2026-03-04T23:59:50Z');
  const six = await elasticsearch({ endpoint: es.url, ver: '6' });
  await expect(write(six, events(1))).rejects.toThrow(/unknown parameter \[_type\].*ver/);
});

it('a bad password is permanent and names the options; the secret is not in it', async () => {
  const strict = new FakeElasticsearch({
    auth: `Basic ${Buffer.from('writer:right').toString('base64')}`,
  });
  await strict.start();
  onTestFinished(() => strict.stop());
  const { sink } = await createSinkFromUri(
    `elasticsearch:${strict.url}?esUserName=writer&esUserSecret=wrongSecret99`,
  );
  const error = await write(sink, events(1)).catch((e: Error & { retryable: boolean }) => e);
  expect(error).toMatchObject({
    retryable: false,
    message: expect.stringMatching(/esUserName\/esUserSecret/),
  });
  expect(String((error as Error).message)).not.toContain('wrongSecret99');
});

it('accepts kube-eventer’s URI with repeated nodes and writes to them in turn', async () => {
  const other = new FakeElasticsearch();
  await other.start();
  onTestFinished(() => other.stop());
  const { sink } = await createSinkFromUri(
    `elasticsearch:?nodes=${es.url}&nodes=${other.url}&index=k8s&ver=7&bulkWorkers=2&maxRetries=3&sniff=false&healthCheck=false`,
  );
  await write(sink, events(1));
  await write(sink, events(1, '2026-03-05'));
  expect([es.requests.length, other.requests.length]).toEqual([1, 1]);
});

it('forwards from the fake API server to Elasticsearch, one document per occurrence', async () => {
  const { sink } = await createSinkFromUri(`elasticsearch:${es.url}?index=k8s`);
  const { api, stop } = await startForwarding([{ sink }], { registerCleanup: onTestFinished });
  const pod = (name: string) => ({ kind: 'Pod', namespace: 'shop', name });
  const backOff = api.createEvent(
    buildEvent({ type: 'Warning', reason: 'BackOff', involvedObject: pod('web-1') }),
  );
  api.createEvent(buildEvent({ type: 'Normal', reason: 'Pulled', involvedObject: pod('web-1') }));
  api.recurEvent('shop', backOff.metadata?.name ?? '');
  await waitFor(() => es.documents().length >= 3, { timeoutMs: 20_000 });
  const report = await stop();
  expect(report.undelivered).toBe(0);
  expect(
    es
      .documents()
      .map((d) => d.Reason)
      .sort(),
  ).toEqual(['BackOff', 'BackOff', 'Pulled']);
});
