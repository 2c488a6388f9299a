import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { createSinkFromUri, normalizeEvent } from '@keventer/core';
import { isPartialWriteError, type PartialWriteError, type Sink } from '@keventer/core/kit';
import { buildEvent, waitFor } from '@keventer/testing';
import { afterEach, beforeEach, expect, it, onTestFinished } from 'vitest';
// Registers the scheme for createSinkFromUri.
import '../src/index.js';
import { attributesOf, FakeRiemann } from './support/fake-riemann.js';
import { makeTlsFiles } from './support/tls-files.js';

let server: FakeRiemann;
beforeEach(async () => {
  server = new FakeRiemann();
  await server.start();
});
afterEach(() => server.stop());

type Events = ReturnType<typeof normalizeEvent>[];
const events = (count: number, type = 'Warning'): Events =>
  Array.from({ length: count }, (_, i) =>
    normalizeEvent(
      buildEvent({
        type,
        reason: 'BackOff',
        message: `back-off ${i}`,
        count: 4,
        involvedObject: {
          kind: 'Pod',
          namespace: 'shop',
          name: `web-${i}`,
          uid: `uid-${i}`,
          apiVersion: 'v1',
          resourceVersion: '812',
          fieldPath: 'spec.containers{app}',
        },
        source: { component: 'kubelet', host: 'node-1' },
        firstTimestamp: '2026-03-04T10:00:00Z',
        lastTimestamp: '2026-03-04T10:05:00Z',
      }),
    ),
  );
const write = (sink: Sink, batch: Events, signal = AbortSignal.timeout(10_000)) =>
  sink.write(batch, { signal });
const failure = (work: Promise<unknown>) =>
  work.then(
    () => expect.fail('the write resolved'),
    (e: Error & { retryable: boolean }) => e,
  );
const sinkOn = async (uri: string) => {
  const { sink } = await createSinkFromUri(uri);
  onTestFinished(() => sink.close?.());
  return sink;
};

it("sends kube-eventer's Riemann events, field for field, as one acknowledged message", async () => {
  const sink = await sinkOn(`riemann:${server.address}?ttl=120&tags=k8s&tags=prod`);
  const before = Date.now();
  await write(sink, [...events(1), ...events(1, 'Normal')]);
  expect(server.messages).toEqual([2]);
  const [warning, normal] = server.events;
  expect(warning).toMatchObject({
    service: 'Pod.BackOff',
    state: 'warning',
    host: 'node-1',
    description: 'back-off 0',
    tags: ['k8s', 'prod'],
    ttl: 120,
    metric_sint64: 4n,
  });
  expect(normal?.state).toBe('ok');
  // kube-eventer's time is the time of sending, in seconds and microseconds.
  const micros = Number(warning?.time_micros);
  expect(micros / 1000).toBeGreaterThanOrEqual(before - 1);
  expect(micros / 1000).toBeLessThanOrEqual(Date.now() + 1);
  expect(Number(warning?.time)).toBe(Math.floor(micros / 1e6));
  expect(warning?.attributes.map((a) => a.key)).toEqual([
    'api-version',
    'component',
    'field-path',
    'first-timestamp',
    'last-timestamp',
    'name',
    'namespace',
    'resource-version',
    'uid',
  ]);
  expect(attributesOf(warning as NonNullable<typeof warning>)).toEqual({
    'api-version': 'v1',
    component: 'kubelet',
    'field-path': 'spec.containers{app}',
    'first-timestamp': String(Date.parse('2026-03-04T10:00:00Z') / 1000),
    'last-timestamp': String(Date.parse('2026-03-04T10:05:00Z') / 1000),
    name: 'web-0',
    namespace: 'shop',
    'resource-version': '812',
    uid: 'uid-0',
  });
});

it("takes kube-eventer's defaults and both of its URI forms; a host-less event gets this host's name", async () => {
  const plain = await sinkOn(`riemann:${server.address}`);
  const [event] = events(1);
  await write(plain, [{ ...(event as Events[number]), host: '' }]);
  expect(server.events[0]).toMatchObject({ ttl: 60, tags: ['heapster'], host: hostname() });
  const documented = await sinkOn(
    `riemann:http://${server.address}?ttl=120&state=ok&tags=foobar&batchsize=150`,
  );
  await write(documented, events(1));
  expect(server.events[1]).toMatchObject({ ttl: 120, tags: ['foobar'], state: 'warning' });
  const noTtl = await sinkOn(`riemann:${server.address}?ttl=0`);
  await write(noTtl, events(1));
  expect(server.events[2]?.ttl).toBeUndefined();
});

it('splits a batch at batchsize: one acknowledged message each', async () => {
  const sink = await sinkOn(`riemann:${server.address}?batchsize=10`);
  await write(sink, events(25));
  expect(server.messages).toEqual([10, 10, 5]);
  expect(server.events.map((e) => attributesOf(e).name)).toEqual(
    events(25).map((e) => e.involvedObject.name),
  );
  expect(server.connections).toBe(1);
});

it('a message Riemann refuses is permanent with its error; a later one fails only its own events', async () => {
  const sink = await sinkOn(`riemann:${server.address}?batchsize=10`);
  server.refuseNext.push('no such stream');
  const whole = await failure(write(sink, events(3)));
  expect(whole).toMatchObject({ retryable: false });
  expect(whole.message).toMatch(/Riemann refused the message: no such stream/);
  server.refuseNext.push(undefined, 'no such stream');
  const error = (await failure(write(sink, events(25)))) as unknown as PartialWriteError;
  expect(isPartialWriteError(error)).toBe(true);
  expect(error.failures.map((f) => f.index)).toEqual(Array.from({ length: 15 }, (_, i) => 10 + i));
  expect(error.failures.every((f) => !f.error.retryable)).toBe(true);
  expect(server.messages).toEqual([10]);
});

it('a refused connection is retryable; the next write connects again once Riemann is back', async () => {
  const sink = await sinkOn(`riemann:${server.address}`);
  await server.stop();
  const error = await failure(write(sink, events(1)));
  expect(error).toMatchObject({ retryable: true });
  expect(error.message).toMatch(/ECONNREFUSED|refused/i);
  await server.restart();
  await write(sink, events(2));
  expect(server.events).toHaveLength(2);
});

it('a connection dropped mid-message is retryable, and the retry goes on a new connection', async () => {
  const sink = await sinkOn(`riemann:${server.address}`);
  await write(sink, events(1));
  server.dropNext = 'mid-message';
  const error = await failure(write(sink, events(3)));
  expect(error).toMatchObject({ retryable: true });
  expect(error.message).toMatch(/closed the connection/);
  expect(server.events).toHaveLength(1);
  await write(sink, events(3));
  expect(server.events).toHaveLength(4);
  expect(server.connections).toBe(2);
});

it('an answer lost after Riemann stored the message is retryable (the retry stores it again)', async () => {
  const sink = await sinkOn(`riemann:${server.address}`);
  server.dropNext = 'before-answer';
  await expect(write(sink, events(2))).rejects.toMatchObject({ retryable: true });
  await write(sink, events(2));
  expect(server.events).toHaveLength(4);
});

it('an aborted write settles at once and the next write still gets its own answer', async () => {
  const sink = await sinkOn(`riemann:${server.address}?batchsize=1`);
  let release = () => {};
  server.hold = new Promise((resolve) => {
    release = resolve;
  });
  const aborted = new AbortController();
  const first = failure(write(sink, events(1), aborted.signal));
  await waitFor(() => server.messages.length === 1, { timeoutMs: 5000 });
  aborted.abort(new Error('request timeout'));
  expect(await first).toMatchObject({ retryable: true });
  server.hold = undefined;
  server.refuseNext.push('refused second');
  const second = failure(write(sink, events(1)));
  release();
  // The first message's late ok must not be taken for the second one's answer.
  expect((await second).message).toMatch(/refused second/);
});

it('speaks TLS: verifies the server against cacert, or not with insecure=true', async () => {
  const files = makeTlsFiles();
  onTestFinished(() => rmSync(files.dir, { recursive: true, force: true }));
  const secure = new FakeRiemann({ cert: files.cert, key: files.key });
  await secure.start();
  onTestFinished(() => secure.stop());
  const verified = await sinkOn(`riemann:tls://${secure.address}?cacert=${files.ca}`);
  await write(verified, events(1));
  const insecure = await sinkOn(`riemann:${secure.address}?tls=true&insecure=true`);
  await write(insecure, events(1));
  expect(secure.events).toHaveLength(2);
  const untrusted = await sinkOn(`riemann:${secure.address}?tls=true`);
  const error = await failure(write(untrusted, events(1)));
  expect(error.retryable).toBe(false);
  expect(error.message).toMatch(/certificate/i);
});
