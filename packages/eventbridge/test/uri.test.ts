import { createSinkFromUri, normalizeEvent } from '@keventer/core';
import { SinkConfigError, type SinkError } from '@keventer/core/kit';
import { buildEvent } from '@keventer/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventbridge } from '../src/index.js';
import { FakeEcsMetadata } from './support/fake-ecs-metadata.js';
import { FakeEventBridge } from './support/fake-eventbridge.js';

// kube-eventer's documented URI, verbatim.
const KUBE_EVENTER_URI =
  'eventbridge:?clusterId=c4f1&regionId=cn-hangzhou&accessKeyId=LTAI5tUriKey&accessKeySecret=UriSecret0042&eventBusName=default';

let service: FakeEventBridge;
beforeEach(async () => {
  service = new FakeEventBridge().allow('LTAI5tUriKey', 'UriSecret0042');
  await service.start();
});
afterEach(() => service.stop());

describe("eventbridge's URI", () => {
  it("takes kube-eventer's URI verbatim, with the account from OwnerAccountId as kube-eventer reads it", async () => {
    const env = { OwnerAccountId: service.accountId };
    const { sink, definition } = await createSinkFromUri(
      `${KUBE_EVENTER_URI}&endpoint=${service.url}`,
      { env },
    );
    expect(definition.scheme).toBe('eventbridge');
    await sink.write([normalizeEvent(buildEvent())], { signal: AbortSignal.timeout(10_000) });
    expect(service.accepted[0]?.subject).toMatch(
      new RegExp(`^acs:cs:cn-hangzhou:${service.accountId}:c4f1/`),
    );
    // Without the test endpoint, the URI alone is accepted too (the account is then read at the first write).
    await expect(eventbridge.fromUri(KUBE_EVENTER_URI, { env: {} })).resolves.toBeDefined();
  });

  it("reads kube-eventer's environment fallbacks", async () => {
    const env = {
      ClusterId: 'env-cluster',
      RegionId: 'cn-beijing',
      OwnerAccountId: service.accountId,
      AccessKeyId: 'LTAI5tUriKey',
      AccessKeySecret: 'UriSecret0042',
    };
    const sink = await eventbridge.fromUri(`eventbridge:?endpoint=${service.url}`, { env });
    await sink.write([normalizeEvent(buildEvent())], { signal: AbortSignal.timeout(10_000) });
    expect(service.accepted[0]?.subject).toMatch(/^acs:cs:cn-beijing:\d+:env-cluster\//);
  });

  it('reads the account ID from the ECS metadata when none is given, as kube-eventer does', async () => {
    const metadata = new FakeEcsMetadata({
      '/latest/meta-data/owner-account-id': service.accountId,
    });
    await metadata.start();
    try {
      const uri = `${KUBE_EVENTER_URI}&endpoint=${service.url}&metadataEndpoint=${metadata.url}`;
      const sink = await eventbridge.fromUri(uri, { env: {} });
      const write = () =>
        sink.write([normalizeEvent(buildEvent())], { signal: AbortSignal.timeout(10_000) });
      await write();
      await write();
      expect(metadata.gets).toBe(1); // read once
      expect(service.accepted[1]?.subject).toMatch(new RegExp(`:${service.accountId}:c4f1/`));
    } finally {
      await metadata.stop();
    }
  });

  it('fails retryably, saying to give accountId, where there is no ECS metadata', async () => {
    const metadata = new FakeEcsMetadata({});
    await metadata.start();
    const uri = `${KUBE_EVENTER_URI}&endpoint=${service.url}&metadataEndpoint=${metadata.url}`;
    const sink = await eventbridge.fromUri(uri, { env: {} });
    const error = await sink
      .write([normalizeEvent(buildEvent())], { signal: AbortSignal.timeout(10_000) })
      .catch((e: unknown) => e as SinkError);
    await metadata.stop();
    expect(error?.retryable).toBe(true);
    expect(error?.message).toMatch(/owner-account-id.*HTTP 404.*give accountId/);
    expect(service.requests).toHaveLength(0);
  });

  it.each([
    [`${KUBE_EVENTER_URI}&accountId=12ab`, /accountId '12ab'/],
    [KUBE_EVENTER_URI.replace('cn-hangzhou', 'CN_Hangzhou'), /regionId 'CN_Hangzhou'/],
    [KUBE_EVENTER_URI.replace('=default', '=-bus'), /eventBusName '-bus'/],
    [`${KUBE_EVENTER_URI}&internal=maybe`, /internal/],
    [KUBE_EVENTER_URI.replace('clusterId=c4f1&', ''), /clusterId.*ClusterId/],
  ])('refuses %s at startup, naming the value', async (uri, error) => {
    const failure = await eventbridge.fromUri(uri, { env: {} }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SinkConfigError);
    expect((failure as Error).message).toMatch(error);
    expect((failure as Error).message).not.toContain('UriSecret0042');
  });
});
