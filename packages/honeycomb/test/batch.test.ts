import { createSinkFromUri, normalizeEvent } from '@keventer/core';
import {
  isPartialWriteError,
  type PartialWriteError,
  type Sink,
  TRUNCATED_MARKER,
} from '@keventer/core/kit';
import { buildEvent } from '@keventer/testing';
import { afterEach, beforeEach, expect, it, onTestFinished } from 'vitest';
import { honeycomb, MAX_BODY_BYTES, MAX_STRING_BYTES } from '../src/index.js';
import { FakeHoneycomb } from './support/fake-honeycomb.js';

const KEY = 'hcaik_batchTest0Key99';
let hc: FakeHoneycomb;
beforeEach(async () => {
  hc = new FakeHoneycomb({ keys: [KEY] });
  await hc.start();
});
afterEach(() => hc.stop());

type Events = ReturnType<typeof normalizeEvent>[];
const events = (count: number, message = (i: number) => `back-off ${i}`): Events =>
  Array.from({ length: count }, (_, i) =>
    normalizeEvent(
      buildEvent({
        type: 'Warning',
        reason: 'BackOff',
        message: message(i),
        count: 3,
        involvedObject: {
          kind: 'Pod',
          namespace: 'shop',
          name: `web-${i}`,
          fieldPath: 'spec.containers{app}',
        },
        source: { component: 'kubelet', host: 'node-1' },
        lastTimestamp: `2026-03-04T10:00:0${i % 10}Z`,
      }),
    ),
  );
const write = (sink: Sink, batch: Events) =>
  sink.write(batch, { signal: AbortSignal.timeout(10_000) });
const partial = async (work: Promise<unknown>) => {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isPartialWriteError(error), String(error)).toBe(true);
  return error as PartialWriteError;
};

it("writes one gzipped /1/batch request per batch with kube-eventer's fields", async () => {
  const sink = await honeycomb({ apihost: hc.url, dataset: 'k8s', writekey: KEY });
  await write(sink, events(3));
  expect(hc.requests).toEqual([
    expect.objectContaining({ path: '/1/batch/k8s', encoding: 'gzip', events: 3 }),
  ]);
  expect(hc.events[0]).toEqual({
    dataset: 'k8s',
    time: '2026-03-04T10:00:00.000Z',
    samplerate: 1,
    data: {
      namespace: 'shop',
      kind: 'Pod',
      name: 'web-0',
      subobject: 'spec.containers{app}',
      'source.component': 'kubelet',
      'source.host': 'node-1',
      count: 3,
      type: 'Warning',
      reason: 'BackOff',
      message: 'back-off 0',
    },
  });
});

it("accepts kube-eventer's URI verbatim; the key also comes from $HONEYCOMB_WRITEKEY", async () => {
  const { sink } = await createSinkFromUri(
    `honeycomb:?dataset=k8s events&writekey=${KEY}&apihost=${hc.url}`,
  );
  await write(sink, events(1));
  const fromEnv = await honeycomb.fromUri(`honeycomb:?dataset=k8s&apihost=${hc.url}`, {
    env: { HONEYCOMB_WRITEKEY: KEY },
  });
  await write(fromEnv, events(1));
  expect(hc.requests.map((r) => r.path)).toEqual(['/1/batch/k8s%20events', '/1/batch/k8s']);
  await expect(honeycomb.fromUri('honeycomb:?dataset=k8s', { env: {} })).rejects.toThrow(
    /writekey.*HONEYCOMB_WRITEKEY/,
  );
});

it('keeps the path of a custom apihost (a proxy) and defaults to the US API and dataset heapster', async () => {
  const proxy = new FakeHoneycomb({ keys: [KEY], prefix: '/honeycomb' });
  await proxy.start();
  onTestFinished(() => proxy.stop());
  const sink = await honeycomb({ apihost: `${proxy.url}honeycomb`, writekey: KEY });
  await write(sink, events(1));
  expect(proxy.requests[0]?.path).toBe('/honeycomb/1/batch/heapster');
  expect(proxy.events[0]?.dataset).toBe('heapster');
  expect(honeycomb.describe().options.find((o) => o.name === 'apihost')?.default).toBe(
    'https://api.honeycomb.io/',
  );
});

it('refused events come back as a partial failure by index; the retry lands them once', async () => {
  const sink = await honeycomb({ apihost: hc.url, writekey: KEY });
  const batch = events(5);
  hc.eventFault = (data) =>
    data.name === 'web-1'
      ? { status: 429, error: 'event dropped due to rate limiting' }
      : data.name === 'web-3'
        ? { status: 400, error: 'Event has too many columns.' }
        : undefined;
  const error = await partial(write(sink, batch));
  expect(error.failures.map((f) => [f.index, f.error.retryable])).toEqual([
    [1, true],
    [3, false],
  ]);
  expect(error.failures[1]?.error.message).toMatch(/too many columns.*delete unused columns/);
  hc.eventFault = undefined;
  await write(sink, [batch[1] as Events[number]]);
  expect(hc.events.map((e) => e.data.name).sort()).toEqual(['web-0', 'web-1', 'web-2', 'web-4']);
});

it('splits a batch over 5 MB of JSON into requests under the limit, and every event lands', async () => {
  const sink = await honeycomb({ apihost: hc.url, writekey: KEY });
  // Each message is cut to Honeycomb's 64 KB string limit: 100 events are ~6.6 MB.
  const batch = events(100, (i) => `${i}:${'事'.repeat(60_000)}`);
  hc.eventFault = (data) =>
    data.name === 'web-98' ? { status: 503, error: 'service unavailable' } : undefined;
  const error = await partial(write(sink, batch));
  // Refused in the second request: reported by its index in the whole batch.
  expect(error.failures.map((f) => [f.index, f.error.retryable])).toEqual([[98, true]]);
  hc.eventFault = undefined;
  await write(sink, [batch[98] as Events[number]]);
  expect(hc.requests.length).toBe(3);
  expect(hc.requests.every((r) => r.jsonBytes <= MAX_BODY_BYTES)).toBe(true);
  expect(hc.events).toHaveLength(100);
  const message = String(hc.events[0]?.data.message);
  expect(Buffer.byteLength(message)).toBeLessThanOrEqual(MAX_STRING_BYTES);
  expect(message.endsWith(TRUNCATED_MARKER)).toBe(true);
  expect(hc.events.map((e) => e.data.name).sort()).toEqual(
    batch.map((e) => e.involvedObject.name).sort(),
  );
});

it('when the second request of a split batch fails, only its events fail', async () => {
  const sink = await honeycomb({ apihost: hc.url, writekey: KEY });
  const batch = events(100, (i) => `${i}:${'事'.repeat(60_000)}`);
  hc.requestFaults.push('answer', { status: 503, body: { error: 'service unavailable' } });
  const error = await partial(write(sink, batch));
  const stored = hc.events.length;
  expect(stored).toBeGreaterThan(0);
  expect(error.failures.map((f) => f.index)).toEqual(
    Array.from({ length: 100 - stored }, (_, i) => stored + i),
  );
  expect(error.failures.every((f) => f.error.retryable)).toBe(true);
});

it('a wrong key is permanent, says what to check, and never shows the key', async () => {
  const { sink } = await createSinkFromUri(
    `honeycomb:?dataset=k8s&writekey=hcaik_wrongKey1234&apihost=${hc.url}`,
  );
  const error = await write(sink, events(1)).catch((e: Error & { retryable: boolean }) => e);
  expect(error).toMatchObject({
    retryable: false,
    message: expect.stringMatching(/unknown API key.*check writekey/),
  });
  expect(String((error as Error).message)).not.toContain('hcaik_wrongKey1234');
});

it('a throttled request (429) is retryable after Retry-After; a 413 is permanent', async () => {
  const sink = await honeycomb({ apihost: hc.url, writekey: KEY });
  hc.requestFaults.push(
    {
      status: 429,
      body: { error: 'Dropped due to rate limiting' },
      headers: { 'retry-after': '3' },
    },
    { status: 413, body: { error: 'request body is too large' } },
  );
  await expect(write(sink, events(2))).rejects.toMatchObject({
    retryable: true,
    retryAfterMs: 3000,
  });
  await expect(write(sink, events(2))).rejects.toMatchObject({
    retryable: false,
    message: expect.stringMatching(/too large.*batch\.maxEvents/),
  });
  expect(hc.events).toHaveLength(0);
});
