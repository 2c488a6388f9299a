import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSinkFromUri } from '@keventer/core';
import { isPartialWriteError, type PartialWriteError, type Sink } from '@keventer/core/kit';
import { afterEach, beforeEach, expect, it, onTestFinished } from 'vitest';
import { sls } from '../src/index.js';
import { podEvents } from './support/events.js';
import { FakeSls } from './support/fake-sls.js';

const KEY_ID = 'LTAI5tTestKeyId';
const SECRET = 'xK9secretOfTheKey0000';
let fake: FakeSls;
beforeEach(async () => {
  fake = await new FakeSls().start();
  fake.addLogStore('k8s-prod', 'events').addCredential(KEY_ID, SECRET);
});
afterEach(() => fake.stop());

const sinkWith = (options: Partial<Parameters<typeof sls>[0]> = {}) =>
  sls({
    project: 'k8s-prod',
    logStore: 'events',
    endpoint: fake.endpoint,
    accessKeyId: KEY_ID,
    accessKeySecret: SECRET,
    ...options,
  });
const write = (sink: Sink, batch: ReturnType<typeof podEvents>) =>
  sink.write(batch, { signal: AbortSignal.timeout(20_000) });
const failure = (work: Promise<unknown>) =>
  work.then(
    () => {
      throw new Error('the write resolved');
    },
    (e: unknown) => e as Error & { retryable: boolean; statusCode?: number },
  );

it("writes one signed PutLogs per batch with kube-eventer's fields, to the project's host", async () => {
  const sink = await sinkWith({
    topic: 'k8s-cluster-dev',
    label: ['ClusterId,c-123', 'RegionId,cn-hangzhou'],
  });
  const batch = podEvents(3);
  await write(sink, batch);
  expect(fake.requests).toHaveLength(1);
  const [request] = fake.requests;
  expect(request).toMatchObject({
    answer: 200,
    path: '/logstores/events/shards/lb',
    host: `k8s-prod.${fake.endpoint.slice('http://'.length)}`,
    logs: 3,
  });
  expect(request?.headers['x-log-compresstype']).toBe('lz4');
  const logs = fake.logs('k8s-prod', 'events');
  expect(logs.map((l) => l.contents.map(([k]) => k))[0]).toEqual([
    'eventId',
    'hostname',
    'level',
    'pod_id',
    'pod_name',
    'ClusterId',
    'RegionId',
  ]);
  const first = Object.fromEntries(logs[0]?.contents ?? []);
  expect(first).toMatchObject({
    hostname: 'node-7',
    level: 'Warning',
    pod_id: 'pod-uid-0',
    pod_name: 'web-0',
    ClusterId: 'c-123',
    RegionId: 'cn-hangzhou',
  });
  // eventId is the whole event, indented as kube-eventer's json.MarshalIndent(event, "", " ").
  expect(JSON.parse(first.eventId ?? '')).toEqual(batch[0]?.raw);
  expect(first.eventId).toContain('\n "metadata": {');
  expect(logs[0]?.time).toBe(Math.floor(Date.parse(batch[0]?.lastTimestamp ?? '') / 1000));
  expect(logs[0]).toMatchObject({ topic: 'k8s-cluster-dev', source: '' });
});

it('writes the same logs with deflate and uncompressed', async () => {
  for (const compression of ['deflate', 'none'] as const) {
    await write(await sinkWith({ compression }), podEvents(2));
  }
  expect(fake.requests.map((r) => [r.answer, r.headers['x-log-compresstype']])).toEqual([
    [200, 'deflate'],
    [200, undefined],
  ]);
  expect(fake.logs('k8s-prod', 'events')).toHaveLength(4);
});

it('an event without a Pod has no pod fields; a time SLS would refuse becomes now', async () => {
  const [event] = podEvents(1);
  if (!event) throw new Error('no event');
  const node = {
    ...event,
    involvedObject: { ...event.involvedObject, kind: 'Node' },
    lastTimestamp: '2020-01-01T00:00:00Z',
  };
  const before = Math.floor(Date.now() / 1000);
  await write(await sinkWith(), [node]);
  const [log] = fake.logs('k8s-prod', 'events');
  expect(log?.contents.map(([k]) => k)).toEqual(['eventId', 'hostname', 'level']);
  expect(log?.time).toBeGreaterThanOrEqual(before);
});

it('sends the STS token; a wrong one is refused as Unauthorized, permanent, without the secrets', async () => {
  fake.addCredential('STS.tmpKeyId', 'tmpSecret123456', 'CAIS-current-token');
  const sts = { accessKeyId: 'STS.tmpKeyId', accessKeySecret: 'tmpSecret123456' };
  await write(await sinkWith({ ...sts, securityToken: 'CAIS-current-token' }), podEvents(1));
  expect(fake.requests[0]?.headers['x-acs-security-token']).toBe('CAIS-current-token');
  const error = await failure(
    write(await sinkWith({ ...sts, securityToken: 'CAIS-expired-token' }), podEvents(1)),
  );
  expect(error).toMatchObject({ retryable: false, statusCode: 401 });
  expect(error.message).toMatch(/Unauthorized.*security token.*securityToken/);
  for (const secret of ['tmpSecret123456', 'CAIS-expired-token'])
    expect(error.message).not.toContain(secret);
});

it('a wrong secret is SignatureNotMatch: permanent, names the options, never shows the secret', async () => {
  const error = await failure(
    write(await sinkWith({ accessKeySecret: 'wrongSecret77' }), podEvents(1)),
  );
  expect(error).toMatchObject({ retryable: false, statusCode: 401 });
  expect(error.message).toMatch(/SignatureNotMatch.*accessKeyId\/accessKeySecret/);
  expect(error.message).not.toContain('wrongSecret77');
});

it('a missing project or logstore is a permanent 404 that says which', async () => {
  const project = await failure(write(await sinkWith({ project: 'k8s-test' }), podEvents(1)));
  expect(project).toMatchObject({ retryable: false, statusCode: 404 });
  expect(project.message).toMatch(/ProjectNotExist.*k8s-test.*check project/);
  const store = await failure(write(await sinkWith({ logStore: 'evts' }), podEvents(1)));
  expect(store.message).toMatch(/LogStoreNotExist.*evts.*check logStore/);
});

it('quota and server errors are retryable; an unknown 4xx code is permanent', async () => {
  const sink = await sinkWith();
  const answers = [
    { status: 403, errorCode: 'WriteQuotaExceed', errorMessage: 'Write quota is exceeded.' },
    {
      status: 403,
      errorCode: 'ShardWriteQuotaExceed',
      errorMessage: 'Shard write quota is exceeded.',
    },
    { status: 500, errorCode: 'InternalServerError', errorMessage: 'Internal server error.' },
    { status: 503, errorCode: 'ServerBusy', errorMessage: 'The server is busy.' },
    { status: 400, errorCode: 'InvalidKey', errorMessage: 'Invalid keys are in logs.' },
  ];
  const seen: Array<[string, boolean]> = [];
  for (const answer of answers) {
    fake.fault = () => answer;
    const error = await failure(write(sink, podEvents(1)));
    seen.push([answer.errorCode, error.retryable]);
  }
  expect(seen).toEqual([
    ['WriteQuotaExceed', true],
    ['ShardWriteQuotaExceed', true],
    ['InternalServerError', true],
    ['ServerBusy', true],
    ['InvalidKey', false],
  ]);
});

it('splits a batch over 4096 logs into requests SLS takes; a failed part fails only its events', async () => {
  const sink = await sinkWith();
  const batch = podEvents(5000);
  fake.fault = ({ n }) =>
    n === 1
      ? { status: 403, errorCode: 'WriteQuotaExceed', errorMessage: 'Write quota is exceeded.' }
      : undefined;
  const error = await failure(write(sink, batch));
  expect(isPartialWriteError(error), String(error)).toBe(true);
  const { failures } = error as unknown as PartialWriteError;
  expect(fake.requests.map((r) => [r.logs, r.answer])).toEqual([
    [4096, 200],
    [904, 403],
  ]);
  expect(failures.map((f) => f.index)).toEqual(Array.from({ length: 904 }, (_, i) => 4096 + i));
  expect(failures.every((f) => f.error.retryable)).toBe(true);
  // The engine's retry of the failed ones alone lands them: every event once.
  fake.fault = undefined;
  await write(
    sink,
    failures.map((f) => batch[f.index] as (typeof batch)[number]),
  );
  const names = fake.logs('k8s-prod', 'events').map((l) => Object.fromEntries(l.contents).pod_name);
  expect(new Set(names).size).toBe(5000);
  expect(names).toHaveLength(5000);
});

it('splits by size too: big events go in groups under 5 MB raw', async () => {
  const sink = await sinkWith();
  const big = 'x'.repeat(600_000);
  await write(
    sink,
    podEvents(20, (i) => `${i} ${big}`),
  );
  expect(fake.requests.length).toBeGreaterThan(2);
  expect(fake.requests.every((r) => r.answer === 200 && r.rawBytes <= 5 * 1024 * 1024)).toBe(true);
  expect(fake.logs('k8s-prod', 'events')).toHaveLength(20);
});

it("accepts kube-eventer's URI verbatim, its target ignored and SLS_ENDPOINT read", async () => {
  const uri = `sls:https://sls.aliyuncs.com?project=k8s-prod&logStore=events&topic=k8s-cluster-dev&regionId=cn-hangzhou&internal=true&accessKeyId=${KEY_ID}&accessKeySecret=${SECRET}&label=ClusterId,c-1&label=UserId,u-2`;
  const { sink } = await createSinkFromUri(uri, { env: { SLS_ENDPOINT: fake.endpoint } });
  await write(sink, podEvents(2));
  expect(fake.logs('k8s-prod', 'events')).toHaveLength(2);
  expect(Object.fromEntries(fake.logs('k8s-prod', 'events')[0]?.contents ?? [])).toMatchObject({
    ClusterId: 'c-1',
    UserId: 'u-2',
  });
});

it('a 200 without x-log-requestid is not SLS: permanent, so the logs are not counted written', async () => {
  const proxy = createServer((_req, res) => res.writeHead(200).end('<html>Welcome</html>'));
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => proxy.close(() => resolve())));
  const port = (proxy.address() as AddressInfo).port;
  const error = await failure(
    write(await sinkWith({ endpoint: `http://127.0.0.1:${port}` }), podEvents(1)),
  );
  expect(error).toMatchObject({ retryable: false, statusCode: 200 });
  expect(error.message).toMatch(/without x-log-requestid: it is not SLS/);
});
