import { describe, expect, it, onTestFinished } from 'vitest';
import { serviceEndpoint } from '../src/definition.js';
import { signedHeaders } from '../src/sign.js';
import { FakeEventBridge } from './support/fake-eventbridge.js';

const KEY = { accessKeyId: 'LTAI5tSelf', accessKeySecret: 'SelfSecret', securityToken: '' };
const CONTENT_TYPE = 'application/cloudevents-batch+json; charset=utf-8';
const request = { method: 'POST', resource: '/openapi/putEvents', contentType: CONTENT_TYPE };
const cloudEvent = (over: Record<string, unknown> = {}) => ({
  id: 'a5074581-7e74-4e4c-868f-47e7afdf0001',
  source: 'acs.cs',
  specversion: '1.0',
  type: 'cs:k8s:PodRelatedEvent',
  time: '2026-03-01T10:20:30Z',
  aliyuneventbusname: 'default',
  data: {},
  ...over,
});

async function started() {
  const service = new FakeEventBridge().allow(KEY.accessKeyId, KEY.accessKeySecret);
  await service.start();
  onTestFinished(() => service.stop());
  return service;
}

async function put(url: string, headers: Record<string, string>, body: unknown) {
  const response = await fetch(`${url}/openapi/putEvents`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

// The tests of the sink are only as good as the fake: it must refuse what the service refuses.
describe('the strict fake EventBridge', () => {
  it('accepts a signed request once: a replayed nonce is refused', async () => {
    const service = await started();
    const headers = signedHeaders(KEY, request);
    expect((await put(service.url, headers, [cloudEvent()])).status).toBe(200);
    const replay = await put(service.url, headers, [cloudEvent()]);
    expect(replay).toMatchObject({ status: 403, body: { code: 'SignatureNonceUsed' } });
  });

  it('refuses a stale Date, a changed signed header and a wrong secret', async () => {
    const service = await started();
    const stale = signedHeaders(KEY, request, new Date(Date.now() - 20 * 60_000));
    expect((await put(service.url, stale, [cloudEvent()])).body.code).toBe('RequestTimeTooSkewed');
    const changed = { ...signedHeaders(KEY, request), 'x-acs-signature-nonce': 'another' };
    expect((await put(service.url, changed, [cloudEvent()])).body.code).toBe(
      'SignatureDoesNotMatch',
    );
    const wrong = signedHeaders({ ...KEY, accessKeySecret: 'nope' }, request);
    const answer = await put(service.url, wrong, [cloudEvent()]);
    expect(answer).toMatchObject({ status: 403, body: { code: 'SignatureDoesNotMatch' } });
    expect(answer.body.requestId).toEqual(expect.any(String));
  });

  it.each([
    ['no specversion', [cloudEvent({ specversion: undefined })], 400, 'InvalidArgument'],
    ['an id with a slash', [cloudEvent({ id: 'a/b' })], 400, 'InvalidArgument'],
    ['a type over 64', [cloudEvent({ type: 't'.repeat(65) })], 400, 'InvalidArgument'],
    ['17 events', Array.from({ length: 17 }, () => cloudEvent()), 400, 'InvalidArgument'],
    ['an unknown bus', [cloudEvent({ aliyuneventbusname: 'nobus' })], 404, 'EventBusNotExist'],
  ])('refuses %s', async (_, body, status, code) => {
    const service = await started();
    const answer = await put(service.url, signedHeaders(KEY, request), body);
    expect(answer).toMatchObject({ status, body: { code } });
    expect(service.accepted).toHaveLength(0);
  });
});

describe("kube-eventer's endpoints", () => {
  it('are the account host in the region, the VPC one by default', () => {
    expect(serviceEndpoint('123', 'cn-hangzhou', true)).toBe(
      'https://123.eventbridge.cn-hangzhou-vpc.aliyuncs.com',
    );
    expect(serviceEndpoint('123', 'cn-hangzhou', false)).toBe(
      'https://123.eventbridge.cn-hangzhou.aliyuncs.com',
    );
  });
});
