import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeInfluxdb2 } from './support/fake-influxdb2.js';
import { parseLineProtocol } from './support/parse-line-protocol.js';

// The strict server is only worth its tests if it refuses what InfluxDB 2.x refuses.

const servers: FakeInfluxdb2[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
});
async function start(options?: ConstructorParameters<typeof FakeInfluxdb2>[0]) {
  const server = new FakeInfluxdb2(options);
  servers.push(server);
  await server.start();
  return server;
}
async function write(
  server: FakeInfluxdb2,
  body: string | Buffer,
  { query = 'org=ops&bucket=k8s', headers = {} as Record<string, string> } = {},
) {
  const response = await fetch(`${server.url}/api/v2/write?${query}`, {
    method: 'POST',
    headers: { authorization: 'Token writer-token', 'content-type': 'text/plain', ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe('the strict line-protocol reader', () => {
  it('reads escapes, types, multi-line strings and comments', () => {
    const { points, errors } = parseLineProtocol(
      '# a comment\n\nm\\ x\\,y=z,t\\=k=v\\ 1 s="a \\"q\\" \\\\ \\n\nb",i=-3i,u=4u,f=1.5e3,b=T 17\nm f=1',
    );
    expect(errors).toEqual([]);
    expect(points[0]).toEqual({
      measurement: 'm x,y=z',
      tags: { 't=k': 'v 1' },
      fields: {
        s: { type: 'string', value: 'a "q" \\ \\n\nb' },
        i: { type: 'integer', value: -3n },
        u: { type: 'unsigned', value: 4n },
        f: { type: 'float', value: 1500 },
        b: { type: 'boolean', value: true },
      },
      time: 17n,
    });
    expect(points[1]?.time).toBeUndefined();
  });

  it.each([
    ['m,t=a=b f=1', 'invalid tag format'],
    ['m,t= f=1', 'missing tag value'],
    ['m,t f=1', 'missing tag value'],
    ['m', 'missing fields'],
    ['m,t=a', 'missing fields'],
    ['m f="open', 'unbalanced quotes'],
    ['m f=1x', 'invalid number'],
    ['m f=yes', 'invalid boolean'],
    ['m f=1 12:00', 'bad timestamp'],
    ['m f=', 'missing field value'],
    ['m =1', 'missing field key'],
  ])('refuses %j: %s', (line, why) => {
    expect(parseLineProtocol(line).errors).toEqual([`unable to parse '${line}': ${why}`]);
  });
});

describe('the strict /api/v2/write', () => {
  it('answers 2.x errors in its order, with its codes and messages', async () => {
    const server = await start();
    const cases: Array<[Parameters<typeof write>[2], number, string, RegExp]> = [
      [{ headers: { authorization: 'Token nope' } }, 401, 'unauthorized', /unauthorized access/],
      [{ headers: { authorization: 'Bearer writer-token' } }, 401, 'unauthorized', /unauthorized/],
      [{ query: 'org=ops&bucket=k8s&precision=n' }, 400, 'invalid', /invalid precision/],
      [{ query: 'org=ops' }, 404, 'not found', /^bucket not found$/],
      [{ query: 'bucket=k8s' }, 400, 'invalid', /either orgID or org/],
      [{ query: 'org=x&bucket=k8s' }, 404, 'not found', /organization name "x" not found/],
      [{ query: 'org=ops&bucket=y' }, 404, 'not found', /bucket "y" not found/],
      [{ headers: { 'content-type': 'application/json' } }, 400, 'invalid', /Content-Type/],
    ];
    for (const [options, status, code, message] of cases) {
      const answer = await write(server, 'm f=1 1', options);
      expect(answer.status).toBe(status);
      expect(answer.body.code).toBe(code);
      expect(answer.body.message).toMatch(message);
    }
    expect(server.points('k8s')).toEqual([]);
  });

  it('one bad line refuses the whole body (400), nothing written', async () => {
    const server = await start();
    const answer = await write(server, 'm f=1 1\nm,t=a=b f=2 2\nm f=3 3');
    expect(answer).toEqual({
      status: 400,
      body: { code: 'invalid', message: "unable to parse 'm,t=a=b f=2 2': invalid tag format" },
    });
    expect(server.points('k8s')).toEqual([]);
  });

  it('takes gzip bodies, refuses a broken one, and limits the decompressed size', async () => {
    const server = await start({ maxBodyBytes: 1000 });
    const gzip = { headers: { 'content-encoding': 'gzip' } };
    expect((await write(server, gzipSync('m f=1 1\nm f=2 2'), gzip)).status).toBe(204);
    expect(server.points('k8s')).toHaveLength(2);
    const broken = await write(server, 'm f=1 1', gzip);
    expect(broken.body).toEqual({
      code: 'invalid',
      message: 'unable to read data: gzip: invalid header',
    });
    const bomb = await write(server, gzipSync(`m f="${'x'.repeat(5000)}"`), gzip);
    expect(bomb).toEqual({
      status: 413,
      body: {
        code: 'request too large',
        message: 'unable to read data: points batch is too large',
      },
    });
    expect((await write(server, '')).body.message).toBe('writing requires points');
  });

  it('the same series and time overwrites; a field type conflict drops only its points (422)', async () => {
    const server = await start();
    expect((await write(server, 'm,a=1 f=1,g=1 5\nm,a=1 f=2 5\nm,a=2 f=3 5')).status).toBe(204);
    expect(server.points('k8s').map((p) => [p.tags.a, p.fields.f, p.fields.g])).toEqual([
      ['1', { type: 'float', value: 2 }, { type: 'float', value: 1 }],
      ['2', { type: 'float', value: 3 }, undefined],
    ]);
    const partial = await write(server, 'm,a=3 f="x" 6\nn f=1 6', {
      query: 'org=ops&bucket=k8s&precision=s',
    });
    expect(partial).toEqual({
      status: 422,
      body: {
        code: 'unprocessable entity',
        message:
          'failure writing points to database: partial write: field type conflict: input field "f" on measurement "m" is type string, already exists as type float dropped=1',
      },
    });
    const written = server.points('k8s').find((p) => p.measurement === 'n');
    expect(written?.time).toBe(6_000_000_000n); // stored in ns
  });
});
