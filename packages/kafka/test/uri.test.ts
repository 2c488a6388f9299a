import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSinkFromUri, normalizeEvent } from '@keventer/core';
import { SinkConfigError } from '@keventer/core/kit';
import { buildEvent } from '@keventer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaConfig } from '../src/client.js';
import { kafka } from '../src/index.js';

const refusal = (uri: string) => kafka.fromUri(uri).catch((e: unknown) => e);

describe("kafka's URI", () => {
  it("takes kube-eventer's URI verbatim: repeated brokers, its topic and codec", async () => {
    const { sink, delivery } = await createSinkFromUri(
      'kafka:?brokers=k1:9092&brokers=k2:9092&eventstopic=k8s-events&compression=lz4&user=u&password=p&batch.maxEvents=200',
    );
    expect(sink.name).toBe('kafka');
    expect(delivery).toMatchObject({ 'batch.maxEvents': '200' });
    await sink.close?.(); // never connected: nothing to wait for
  });

  it.each([
    ['kafka:?eventstopic=k8s', /missing required option 'brokers'/],
    ['kafka:?brokers=k1', /'k1' is not host:port/],
    ['kafka:?brokers=k1:99999', /'k1:99999' is not host:port/],
    ['kafka:?brokers=k1:9092&compression=zstd', /compression.*'zstd'/],
    ['kafka:?brokers=k1:9092&eventstopic=no/slash', /eventstopic.*'no\/slash'/],
    ['kafka:?brokers=k1:9092&user=u', /'user' and 'password' go together/],
    ['kafka:?brokers=k1:9092&cert=/tmp/c.pem', /'cert' and 'key' go together/],
    [
      'kafka:?brokers=k1:9092&cacert=/nonexistent/ca.pem',
      /cacert.*'\/nonexistent\/ca.pem' \(ENOENT\)/,
    ],
    ['kafka:?brokers=k1:9092&sasl_mechanism=gssapi', /sasl_mechanism.*'gssapi'/],
    ['kafka:?brokers=k1:9092&insecuressl=maybe', /insecuressl/],
  ])('refuses %s at startup, naming the value', async (uri, error) => {
    const failure = await refusal(uri);
    expect(failure).toBeInstanceOf(SinkConfigError);
    expect(String((failure as Error).message)).toMatch(error);
  });

  it('never shows the password or the key, also in an error about something else', async () => {
    const failure = await refusal(
      'kafka:?brokers=k1&user=keventer&password=S3cretPw0rd&key=S3cretKeyPath&cert=/tmp/x',
    );
    const text = String((failure as Error).message);
    expect(text).toMatch(/brokers/);
    expect(text).not.toContain('S3cretPw0rd');
    expect(text).not.toContain('S3cretKeyPath');
  });
});

describe("a write's error", () => {
  it('never shows the password, even where kafkajs echoes it (here: as a host name)', async () => {
    const sink = await kafka({
      brokers: ['Pw0rdSecret.invalid:9092'],
      user: 'keventer',
      password: 'Pw0rdSecret',
      timeout: '1s',
    });
    const error = (await sink
      .write([normalizeEvent(buildEvent())], { signal: new AbortController().signal })
      .catch((e: unknown) => e)) as Error & { retryable: boolean };
    await sink.close?.();
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/\*\*\*/);
    expect(`${error.message} ${String(error.cause)}`).not.toContain('Pw0rdSecret');
  }, 20_000);
});

describe('the client settings', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'keventer-kafka-'));
    await writeFile(
      join(dir, 'ca.pem'),
      '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n',
    );
    await writeFile(
      join(dir, 'c.pem'),
      '-----BEGIN CERTIFICATE-----\nC\n-----END CERTIFICATE-----\n',
    );
    await writeFile(
      join(dir, 'k.pem'),
      '-----BEGIN PRIVATE KEY-----\nK\n-----END PRIVATE KEY-----\n',
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const config = (raw: Record<string, unknown>) => {
    const options = {
      brokers: ['k1:9092'],
      eventstopic: 'heapster-events',
      compression: 'none',
      format: 'kube-eventer',
      message_key: 'object',
      sasl_mechanism: 'plain',
      tls: false,
      insecuressl: false,
      timeout: 10_000,
      ...raw,
    } as Parameters<typeof kafkaConfig>[1];
    return kafkaConfig('kafka', options);
  };

  it("turns kafkajs's retries off (core retries) and has no SASL or TLS by default", () => {
    const c = config({});
    expect(c.retry).toEqual({ retries: 0 });
    expect(c.sasl).toBeUndefined();
    expect(c.ssl).toBeUndefined();
    expect(c.connectionTimeout).toBe(10_000);
  });

  it('reads SASL PLAIN like kube-eventer, and SCRAM on request', () => {
    expect(config({ user: 'u', password: 'p' }).sasl).toEqual({
      mechanism: 'plain',
      username: 'u',
      password: 'p',
    });
    expect(
      config({ user: 'u', password: 'p', sasl_mechanism: 'scram-sha-512' }).sasl,
    ).toMatchObject({
      mechanism: 'scram-sha-512',
    });
  });

  it("reads kube-eventer's PEM files; insecuressl or tls alone turns TLS on", () => {
    const ssl = config({
      cacert: join(dir, 'ca.pem'),
      cert: join(dir, 'c.pem'),
      key: join(dir, 'k.pem'),
    }).ssl as { ca: string; cert: string; key: string };
    expect(ssl.ca).toContain('CA');
    expect(ssl.cert).toContain('\nC\n');
    expect(ssl.key).toContain('PRIVATE KEY');
    expect(config({ insecuressl: true }).ssl).toEqual({ rejectUnauthorized: false });
    expect(config({ tls: true }).ssl).toBe(true);
  });

  it("sends kafkajs's lines to the logger given, the password masked", () => {
    const lines: string[] = [];
    const logger = {
      debug: () => {},
      info: (o: object | string, m?: string) => lines.push(`${m} ${JSON.stringify(o)}`),
      warn: () => {},
      error: (o: object | string, m?: string) => lines.push(`${m} ${JSON.stringify(o)}`),
    };
    const c = config({ user: 'u', password: 'Pw0rdSecret', logger });
    const log = c.logCreator?.(4);
    log?.({
      namespace: 'Connection',
      level: 1,
      label: 'ERROR',
      log: { timestamp: 'now', message: 'failed with Pw0rdSecret', broker: 'k1:9092' },
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('[kafka] failed with ***');
    expect(lines[0]).toContain('"broker":"k1:9092"');
    expect(lines[0]).not.toContain('Pw0rdSecret');
  });
});
