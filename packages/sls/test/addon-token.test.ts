import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSinkFromUri } from '@keventer/core';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { podEvents } from './support/events.js';
import { FakeSls } from './support/fake-sls.js';

// ACK's log addon mounts STS credentials, each field base64(IV + AES-CBC) under the file's keyring.
const KEYRING = 'k3yr1ngOf16Bytes';
const seal = (text: string, keyring = KEYRING) => {
  const iv = randomBytes(16);
  const cipher = createCipheriv(`aes-${keyring.length * 8}-cbc`, Buffer.from(keyring), iv);
  return Buffer.concat([iv, cipher.update(text, 'utf8'), cipher.final()]).toString('base64');
};
const tokenFile = (expiration: Date, keyring = KEYRING) =>
  JSON.stringify({
    'access.key.id': seal('STS.addonKeyId', keyring),
    'access.key.secret': seal('addonSecret42', keyring),
    'security.token': seal('CAISaddonToken', keyring),
    expiration: expiration.toISOString().replace(/\.\d+Z$/, 'Z'),
    keyring,
  });

let fake: FakeSls;
let dir: string;
let path: string;
beforeEach(async () => {
  fake = await new FakeSls().start();
  fake
    .addLogStore('k8s-prod', 'events')
    .addCredential('STS.addonKeyId', 'addonSecret42', 'CAISaddonToken');
  dir = await mkdtemp(join(tmpdir(), 'sls-addon-'));
  path = join(dir, 'token-config');
});
afterEach(async () => {
  await fake.stop();
  await rm(dir, { recursive: true, force: true });
});

// kube-eventer's URI of its managed-cluster deployment: no AccessKey at all.
const uri = () =>
  `sls:https://sls.aliyuncs.com?project=k8s-prod&logStore=events&topic=k8s&addonTokenConfig=${path}`;
const write = async () => {
  const { sink } = await createSinkFromUri(uri(), { env: { SLS_ENDPOINT: fake.endpoint } });
  return sink.write(podEvents(2), { signal: AbortSignal.timeout(10_000) });
};

it("without an AccessKey, writes with the STS credentials of ACK's addon token", async () => {
  await writeFile(path, tokenFile(new Date(Date.now() + 3600_000)));
  await write();
  expect(fake.logs('k8s-prod', 'events')).toHaveLength(2);
  expect(fake.requests[0]?.headers['x-acs-security-token']).toBe('CAISaddonToken');
});

it('an expired token is retryable (ACK renews the file)', async () => {
  await writeFile(path, tokenFile(new Date(Date.now() - 60_000)));
  await expect(write()).rejects.toMatchObject({
    retryable: true,
    message: expect.stringMatching(/expired at .* not renewed yet/),
  });
  expect(fake.requests).toHaveLength(0);
});

it('a token that does not decrypt is permanent, says what to do, and shows no secret', async () => {
  const file = JSON.parse(tokenFile(new Date(Date.now() + 3600_000))) as Record<string, string>;
  await writeFile(path, JSON.stringify({ ...file, keyring: 'another16bytekey' }));
  const error = await write().catch((e: Error & { retryable: boolean }) => e);
  expect(error).toMatchObject({ retryable: false });
  expect(error?.message).toMatch(/does not decrypt.*give accessKeyId and accessKeySecret/);
  for (const secret of ['addonSecret42', 'CAISaddonToken', KEYRING])
    expect(error?.message).not.toContain(secret);
});

it('with neither an AccessKey nor the file, refuses to start, naming the file', async () => {
  await expect(write()).rejects.toThrow(
    /give accessKeyId and accessKeySecret.*no ACK addon token at .*token-config/,
  );
});

it("keeps the file's secret and token out of an error when an answer echoes them", async () => {
  await writeFile(path, tokenFile(new Date(Date.now() + 3600_000)));
  fake.fault = () => ({
    status: 400,
    errorCode: 'ParameterInvalid',
    errorMessage: 'echo: x-acs-security-token: CAISaddonToken, key addonSecret42',
  });
  const error = await write().catch((e: Error) => e);
  expect(error?.message).toMatch(
    /ParameterInvalid: echo: x-acs-security-token: \*\*\*, key \*\*\*/,
  );
});
