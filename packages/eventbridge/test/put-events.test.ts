import { type KubeEvent, normalizeEvent } from '@keventer/core';
import { isPartialWriteError, type PartialWriteError, type SinkError } from '@keventer/core/kit';
import { buildEvent } from '@keventer/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EventbridgeOptions, eventbridge } from '../src/index.js';
import { FakeEventBridge } from './support/fake-eventbridge.js';

const KEY_ID = 'LTAI5tKeventerTest';
const SECRET = 'Zq8SecretOfTheKey0123456789ab';
const STS_ID = 'STS.NUgYrLnoC37mZZCNnAbez';
const STS_SECRET = 'StsSecret9f8e7d6c5b4a';
const STS_TOKEN = 'CAIS8gF1q6Ft5B2yfSjIr5bkKtDTt5pz0oSMUFTHjh8vasecret';

let service: FakeEventBridge;
beforeEach(async () => {
  service = new FakeEventBridge().allow(KEY_ID, SECRET).allow(STS_ID, STS_SECRET, STS_TOKEN);
  await service.start();
});
afterEach(() => service.stop());

const sinkWith = (options: Partial<EventbridgeOptions> = {}) =>
  eventbridge({
    endpoint: service.url,
    clusterId: 'c0ffee',
    regionId: 'cn-hangzhou',
    accountId: service.accountId,
    accessKeyId: KEY_ID,
    accessKeySecret: SECRET,
    ...options,
  });

const events = (count: number, message = (i: number) => `Back-off restarting ${i}`): KubeEvent[] =>
  Array.from({ length: count }, (_, i) =>
    normalizeEvent(
      buildEvent({
        metadata: { uid: `uid-${i}` },
        type: 'Warning',
        reason: 'BackOff',
        message: message(i),
        involvedObject: { kind: 'Pod', namespace: 'shop', name: `web-${i}` },
      }),
    ),
  );

const write = async (options: Partial<EventbridgeOptions>, batch: KubeEvent[]) => {
  const sink = await sinkWith(options);
  return sink.write(batch, { signal: AbortSignal.timeout(10_000) }).then(
    () => undefined,
    (error: unknown) => error as SinkError,
  );
};

const partial = (error: unknown): PartialWriteError => {
  expect(isPartialWriteError(error), String(error)).toBe(true);
  return error as PartialWriteError;
};

describe('PutEvents against the strict service', () => {
  it('puts signed CloudEvents the service accepts, one request for a batch of 16', async () => {
    expect(await write({}, events(16))).toBeUndefined();
    expect(service.requests).toHaveLength(1);
    expect(service.accepted).toHaveLength(16);
    const [first] = service.accepted;
    expect(first).toMatchObject({
      source: 'acs.cs',
      type: 'cs:k8s:PodRelatedEvent',
      specversion: '1.0',
      aliyuneventbusname: 'default',
      subject: `acs:cs:cn-hangzhou:${service.accountId}:c0ffee/apis/v1/namespaces/shop/pods/web-0`,
    });
    const headers = service.requests[0]?.headers ?? {};
    expect(headers['content-type']).toBe('application/cloudevents-batch+json; charset=utf-8');
    expect(headers.authorization).toMatch(new RegExp(`^acs:${KEY_ID}:`));
    expect(headers['x-acs-security-token']).toBeUndefined();
  });

  it('signs with STS credentials: the token and the key id travel in x-acs headers', async () => {
    const sts = { accessKeyId: STS_ID, accessKeySecret: STS_SECRET, securityToken: STS_TOKEN };
    expect(await write(sts, events(2))).toBeUndefined();
    expect(service.requests[0]?.headers['x-acs-security-token']).toBe(STS_TOKEN);
    const error = await write({ ...sts, securityToken: '' }, events(1));
    expect(error?.retryable).toBe(false);
    expect(error?.message).toMatch(/SecurityTokenInvalid.*securityToken/);
  });

  it('says what to fix for a wrong secret or key, without the secret', async () => {
    const badSecret = await write({ accessKeySecret: 'not-the-secret-xyz' }, events(1));
    expect(badSecret?.retryable).toBe(false);
    expect(badSecret?.message).toMatch(/SignatureDoesNotMatch.*check accessKeySecret/);
    expect(badSecret?.message).not.toContain('not-the-secret-xyz');
    const badKey = await write({ accessKeyId: 'LTAI5tNoSuchKey' }, events(1));
    expect(badKey?.message).toMatch(/InvalidAccessKeyId.*check accessKeyId/);
    expect(service.accepted).toHaveLength(0);
  });

  it('refuses as a whole, permanently, a bus that does not exist', async () => {
    const error = await write({ eventBusName: 'prod-bus' }, events(3));
    expect(isPartialWriteError(error)).toBe(false);
    expect(error?.retryable).toBe(false);
    expect(error?.message).toMatch(/EventBusNotExist.*create the event bus/);
    service.buses.add('prod-bus');
    expect(await write({ eventBusName: 'prod-bus' }, events(3))).toBeUndefined();
  });

  it.each([
    [429, 'TooManyRequests', 'The request is denied by flow limiter for too many requests.'],
    [500, 'InternalError', 'internal error'],
  ])('retries a whole-request %i %s', async (status, code, message) => {
    service.requestFault = () => ({ status, body: { code, message, requestId: 'R1' } });
    const error = await write({}, events(2));
    expect(error?.retryable).toBe(true);
    expect(error?.message).toContain(code);
    expect(service.requests).toHaveLength(1);
  });

  it('splits a larger batch at 16 events and at 256 KB, each request within the limits', async () => {
    expect(await write({}, events(40))).toBeUndefined();
    expect(service.requests.map((r) => JSON.parse(r.body).length)).toEqual([16, 16, 8]);
    service.requests.length = 0;
    const big = events(20, (i) => `${i} ${'x'.repeat(40_000)}`);
    expect(await write({}, big)).toBeUndefined();
    expect(service.requests.length).toBeGreaterThanOrEqual(4);
    for (const request of service.requests)
      expect(Buffer.byteLength(request.body)).toBeLessThanOrEqual(262_144);
    expect(service.accepted).toHaveLength(40 + 20);
  });

  it('fails only an event over 64 KB, permanently, and puts the others', async () => {
    const batch = events(3, (i) => (i === 1 ? 'y'.repeat(70_000) : `small ${i}`));
    const error = partial(await write({}, batch));
    expect(error.failures.map((f) => [f.index, f.error.retryable])).toEqual([[1, false]]);
    expect(error.failures[0]?.error.message).toMatch(/65536 bytes per event/);
    expect(service.accepted).toHaveLength(2);
  });

  it('reports refused entries by index; the retry of the retryable ones keeps their ids', async () => {
    const batch = events(5);
    service.entryFault = (event) => {
      const name = String((event.subject as string).split('/').pop());
      if (name === 'web-1') return { code: 'Throttling.User', message: 'flow control' };
      if (name === 'web-3') return { code: 'InvalidArgument', message: 'bad attribute' };
      return undefined;
    };
    const sink = await sinkWith();
    const error = partial(
      await sink.write(batch, { signal: AbortSignal.timeout(10_000) }).catch((e: unknown) => e),
    );
    expect(error.failures.map((f) => [f.index, f.error.retryable])).toEqual([
      [1, true],
      [3, false],
    ]);
    const firstId = (JSON.parse(service.requests[0]?.body ?? '[]') as Array<{ id: string }>)[1]?.id;
    service.entryFault = undefined;
    await sink.write([batch[1] as KubeEvent], { signal: AbortSignal.timeout(10_000) });
    expect(service.accepted.map((e) => e.id)).toContain(firstId);
    expect(service.accepted).toHaveLength(4); // web-0, 2 and 4, then web-1; web-3 is refused for good
  });

  it('after a request failed as a whole, fails the events of it and of the requests not sent', async () => {
    service.requestFault = (n) =>
      n === 2
        ? { status: 503, body: { code: 'ServiceUnavailable', message: 'busy', requestId: 'R' } }
        : undefined;
    const error = partial(await write({}, events(40)));
    expect(service.requests).toHaveLength(2);
    expect(error.failures.map((f) => f.index)).toEqual(
      Array.from({ length: 24 }, (_, i) => 16 + i),
    );
    expect(error.failures.every((f) => f.error.retryable)).toBe(true);
    expect(service.accepted).toHaveLength(16);
  });

  it('finds refused entries by EventId when the list is incomplete, and retries all when it cannot', async () => {
    const batch = events(3);
    const sink = await sinkWith();
    // The ids are stable: learn the third event's from a first put.
    await sink.write(batch, { signal: AbortSignal.timeout(10_000) });
    const sent = JSON.parse(service.requests[0]?.body ?? '[]') as Array<{ id: string }>;
    const refusedId = sent[2]?.id;
    const answer = (body: unknown) => () => ({ status: 200, body });
    service.requestFault = answer({
      RequestId: 'R',
      FailedEntryCount: 1,
      EntryList: [{ EventId: refusedId, ErrorCode: 'InvalidArgument', ErrorMessage: 'bad' }],
    });
    const byId = partial(
      await sink.write(batch, { signal: AbortSignal.timeout(10_000) }).catch((e: unknown) => e),
    );
    expect(byId.failures.map((f) => [f.index, f.error.retryable])).toEqual([[2, false]]);
    service.requestFault = answer({ RequestId: 'R', FailedEntryCount: 2 });
    const unknown = await write({}, batch);
    expect(isPartialWriteError(unknown)).toBe(false);
    expect(unknown?.retryable).toBe(true);
    expect(unknown?.message).toMatch(/2 of 3 events failed without saying which/);
  });

  it('refuses a server that does not answer like EventBridge', async () => {
    service.requestFault = () => ({ status: 200, body: { ok: true } });
    const error = await write({}, events(1));
    expect(error?.retryable).toBe(false);
    expect(error?.message).toMatch(/not EventBridge.*check endpoint/);
  });
});
