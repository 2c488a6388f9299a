import { request } from 'node:http';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { compressBody } from '../src/compress.js';
import { encodeLog, encodeLogGroup } from '../src/log-group.js';
import { signedHeaders } from '../src/sign.js';
import { FakeSls } from './support/fake-sls.js';

// The fake must refuse what SLS refuses, or the sink's tests prove nothing: each case
// breaks one thing of a good request and expects SLS's status and error code.

let fake: FakeSls;
beforeEach(async () => {
  fake = await new FakeSls().start();
  fake.addLogStore('k8s', 'events').addCredential('id1', 'secret1');
});
afterEach(() => fake.stop());

const PATH = '/logstores/events/shards/lb';
const now = () => Math.floor(Date.now() / 1000);
const group = (count: number, time = now()) =>
  encodeLogGroup(
    Array.from({ length: count }, () => encodeLog({ time, contents: [['k', 'v']] })),
    { topic: '', source: '' },
  );

interface Case {
  raw?: Uint8Array;
  /** Changes the body after signing (the signature then covers another body). */
  body?: (body: Uint8Array) => Uint8Array;
  /** Changes the compressed body before signing (a broken compressor). */
  compressed?: (body: Uint8Array) => Uint8Array;
  /** The x-log-bodyrawsize signed and sent. */
  rawSize?: number;
  date?: Date;
  headers?: Record<string, string | undefined>;
  secret?: string;
}

function send(c: Case = {}): Promise<{ status: number; json: Record<string, string> }> {
  const raw = c.raw ?? group(2);
  const compressed = compressBody(raw, 'lz4');
  const body = c.compressed ? c.compressed(compressed.body) : compressed.body;
  const compressType = compressed.compressType;
  const signed = signedHeaders(
    {
      method: 'POST',
      path: PATH,
      body,
      contentType: 'application/x-protobuf',
      headers: {
        'x-log-bodyrawsize': String(c.rawSize ?? raw.length),
        'x-log-compresstype': compressType ?? '',
      },
    },
    { accessKeyId: 'id1', accessKeySecret: c.secret ?? 'secret1' },
    c.date ?? new Date(),
  );
  const headers = Object.fromEntries(
    Object.entries({ ...signed, ...c.headers }).filter(([, v]) => v !== undefined),
  ) as Record<string, string>;
  const sent = c.body ? c.body(body) : body;
  const url = new URL(fake.endpoint);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: PATH,
        headers: { ...headers, host: `k8s.${url.host}` },
      },
      async (res) => {
        let text = '';
        for await (const chunk of res) text += chunk;
        resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : {} });
      },
    );
    req.on('error', reject);
    req.end(sent);
  });
}

it('takes a good request', async () => {
  expect((await send()).status).toBe(200);
  expect(fake.logs('k8s', 'events')).toHaveLength(2);
});

it.each<[string, number, string, Case]>([
  [
    'a Date 16 minutes old',
    400,
    'RequestTimeExpired',
    { date: new Date(Date.now() - 16 * 60_000) },
  ],
  [
    'a Date not in RFC 1123',
    400,
    'InvalidDateFormat',
    { headers: { date: new Date().toISOString() } },
  ],
  ['no API version', 400, 'MissingAPIVersion', { headers: { 'x-log-apiversion': undefined } }],
  [
    'a JSON content type',
    415,
    'InvalidContentType',
    { headers: { 'content-type': 'application/json' } },
  ],
  ['no Content-MD5', 400, 'InvalidContentMD5', { headers: { 'content-md5': undefined } }],
  [
    'a body changed after signing',
    400,
    'InvalidContentMD5',
    { body: (b) => Buffer.concat([b, Buffer.from([0])]) },
  ],
  ['a raw size that is not the inflated size', 400, 'PostBodyUncompressError', { rawSize: 10 }],
  [
    'a cut LZ4 block',
    400,
    'PostBodyUncompressError',
    { compressed: (b) => b.subarray(0, b.length - 3) },
  ],
  ['another secret', 401, 'SignatureNotMatch', { secret: 'secret2' }],
  [
    'an unsigned extra x-log- header',
    401,
    'SignatureNotMatch',
    { headers: { 'x-log-hashkey': 'abc' } },
  ],
  ['no raw size', 401, 'SignatureNotMatch', { headers: { 'x-log-bodyrawsize': undefined } }],
  ['a zstd body', 401, 'SignatureNotMatch', { headers: { 'x-log-compresstype': 'zstd' } }],
  ['4097 logs', 400, 'PostBodyTooLarge', { raw: group(4097) }],
  ['a log of 8 days ago', 400, 'InvalidTimestamp', { raw: group(1, now() - 8 * 86_400) }],
  [
    'a body that is not a LogGroup',
    400,
    'PostBodyInvalid',
    { raw: Buffer.from('{"not":"protobuf"}') },
  ],
])('refuses %s with %i %s', async (_, status, errorCode, c) => {
  const answer = await send(c);
  expect([answer.status, answer.json.errorCode]).toEqual([status, errorCode]);
  expect(answer.json.errorMessage).toBeTruthy();
  expect(fake.logs('k8s', 'events')).toHaveLength(0);
});
