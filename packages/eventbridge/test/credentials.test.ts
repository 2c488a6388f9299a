import { normalizeEvent } from '@keventer/core';
import type { SinkError } from '@keventer/core/kit';
import { buildEvent } from '@keventer/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventbridge } from '../src/index.js';
import { FakeEcsMetadata } from './support/fake-ecs-metadata.js';
import { FakeEventBridge } from './support/fake-eventbridge.js';

const ROLES = '/latest/meta-data/ram/security-credentials/';
const roleCredentials = (id: string, token: string) =>
  JSON.stringify({
    AccessKeyId: id,
    AccessKeySecret: `${id}-secret`,
    SecurityToken: token,
    Expiration: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    LastUpdated: new Date().toISOString(),
    Code: 'Success',
  });

let service: FakeEventBridge;
let metadata: FakeEcsMetadata;
beforeEach(async () => {
  service = new FakeEventBridge().allow('STS.first', 'STS.first-secret', 'token-1');
  metadata = new FakeEcsMetadata({
    [ROLES]: 'KubernetesWorkerRole-abc\n',
    [`${ROLES}KubernetesWorkerRole-abc`]: roleCredentials('STS.first', 'token-1'),
    '/latest/meta-data/owner-account-id': service.accountId,
  });
  await Promise.all([service.start(), metadata.start()]);
});
afterEach(() => Promise.all([service.stop(), metadata.stop()]));

// kube-eventer's URI with no AccessKey: the node's RAM role signs.
const uri = () =>
  `eventbridge:?clusterId=c1&regionId=cn-hangzhou&eventBusName=default&endpoint=${service.url}&metadataEndpoint=${metadata.url}`;
const write = (sink: Awaited<ReturnType<typeof eventbridge.fromUri>>) =>
  sink.write([normalizeEvent(buildEvent())], { signal: AbortSignal.timeout(10_000) }).then(
    () => undefined,
    (error: unknown) => error as SinkError,
  );

describe("the node's RAM role, when no AccessKey is given", () => {
  it('signs with the role credentials from the ECS metadata, read once for all writes', async () => {
    const sink = await eventbridge.fromUri(uri(), { env: {} });
    expect(await write(sink)).toBeUndefined();
    expect(await write(sink)).toBeUndefined();
    expect(service.accepted).toHaveLength(2);
    expect(service.requests[0]?.headers['x-acs-security-token']).toBe('token-1');
    expect(service.requests[0]?.headers.authorization).toMatch(/^acs:STS\.first:/);
    // The role list, its credentials and the account: three reads, not three per write.
    expect(metadata.gets).toBe(3);
  });

  it('reads the credentials again after the service calls them expired', async () => {
    const sink = await eventbridge.fromUri(uri(), { env: {} });
    expect(await write(sink)).toBeUndefined();
    service.expired.add('STS.first');
    service.allow('STS.second', 'STS.second-secret', 'token-2');
    metadata.values[`${ROLES}KubernetesWorkerRole-abc`] = roleCredentials('STS.second', 'token-2');
    const error = await write(sink);
    expect(error?.retryable).toBe(true);
    expect(error?.message).toMatch(/StsAccessIdExpired.*read again/);
    expect(await write(sink)).toBeUndefined();
    expect(service.requests.at(-1)?.headers['x-acs-security-token']).toBe('token-2');
  });

  it('fails retryably, saying what to give, on a node without a role', async () => {
    delete metadata.values[ROLES];
    const sink = await eventbridge.fromUri(uri(), { env: {} });
    const error = await write(sink);
    expect(error?.retryable).toBe(true);
    expect(error?.message).toMatch(/security-credentials.*give accessKeyId and accessKeySecret/);
    expect(service.requests).toHaveLength(0);
  });

  it('refuses half an AccessKey at startup', async () => {
    const failure = await eventbridge
      .fromUri(`${uri()}&accessKeyId=LTAI5tOnlyId`, { env: {} })
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(failure?.message).toMatch(/give both accessKeyId and accessKeySecret/);
  });
});
