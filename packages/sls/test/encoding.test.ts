import { randomBytes } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { compressBody } from '../src/compress.js';
import { projectTarget, regionEndpoint } from '../src/endpoint.js';
import { encodeLog, encodeLogGroup, logFieldSize } from '../src/log-group.js';
import { splitIntoGroups } from '../src/split.js';
import { decodeLz4Block } from './support/lz4-block.js';

const { root } = protobuf.parse(`syntax = "proto2";
message Content { required string Key = 1; required string Value = 2; }
message Log { required uint32 Time = 1; repeated Content Contents = 2; }
message LogGroup { repeated Log Logs = 1; optional string Topic = 3; optional string Source = 4; }`);
const LogGroup = root.lookupType('LogGroup');

describe('the LogGroup encoding', () => {
  it('decodes with protobufjs: multi-byte lengths, CJK and emoji, a time past 2^31', () => {
    const long = '事件'.repeat(5000);
    const logs = [
      {
        time: 2 ** 31 + 5,
        contents: [['message', `OOM 😱 ${long}`] as const, ['level', ''] as const],
      },
      { time: 1_765_000_000, contents: [] },
    ];
    const raw = encodeLogGroup(logs.map(encodeLog), { topic: 'k8s', source: '10.0.0.1' });
    expect(LogGroup.toObject(LogGroup.decode(raw), { defaults: true })).toEqual({
      Logs: [
        {
          Time: 2 ** 31 + 5,
          Contents: [
            { Key: 'message', Value: `OOM 😱 ${long}` },
            { Key: 'level', Value: '' },
          ],
        },
        { Time: 1_765_000_000, Contents: [] },
      ],
      Topic: 'k8s',
      Source: '10.0.0.1',
    });
  });

  it("counts a log's size in its group exactly", () => {
    for (const size of [0, 100, 127, 128, 20_000]) {
      const log = encodeLog({ time: 1, contents: [['k', 'v'.repeat(size)]] });
      const group = encodeLogGroup([log], { topic: '', source: '' });
      expect(group.length).toBe(logFieldSize(log) + 4); // + the two empty strings' tag and length
    }
  });
});

describe('compression', () => {
  it('lz4 is a raw block that an independent decoder reads back, compressible or not', () => {
    const text = Buffer.from('{"kind":"Event","reason":"BackOff"}'.repeat(400));
    for (const raw of [
      text,
      randomBytes(5000),
      randomBytes(14),
      Buffer.alloc(0),
      randomBytes(270),
    ]) {
      const { body, compressType } = compressBody(raw, 'lz4');
      expect(compressType).toBe('lz4');
      expect(Buffer.from(decodeLz4Block(body, raw.length))).toEqual(Buffer.from(raw));
    }
    expect(compressBody(text, 'lz4').body.length).toBeLessThan(text.length / 10);
  });

  it('deflate is a zlib stream; none is the body as is', () => {
    const raw = Buffer.from('hello sls '.repeat(100));
    expect(inflateSync(compressBody(raw, 'deflate').body)).toEqual(raw);
    expect(compressBody(raw, 'none')).toEqual({ body: raw });
  });
});

describe('splitting', () => {
  it('keeps order, closes a group at the count or the size, and sets aside a log too big for any', () => {
    const log = (size: number) => new Uint8Array(size);
    const { parts, tooBig } = splitIntoGroups(
      [log(40), log(40), log(500), log(40), log(40), log(40)],
      {
        maxLogs: 2,
        maxBytes: 100,
      },
    );
    expect(parts.map((p) => p.indices)).toEqual([[0, 1], [3, 4], [5]]);
    expect(tooBig).toEqual([2]);
  });
});

describe('the endpoint', () => {
  it("is kube-eventer's region endpoint, intranet by default", () => {
    expect(regionEndpoint('cn-hangzhou', true)).toBe(
      'https://cn-hangzhou-intranet.log.aliyuncs.com',
    );
    expect(regionEndpoint('cn-hangzhou', false)).toBe('https://cn-hangzhou.log.aliyuncs.com');
  });

  it('puts the project in the host name, and still in Host for an IP', () => {
    expect(projectTarget('cn-hangzhou.log.aliyuncs.com', 'k8s')).toEqual({
      protocol: 'https:',
      connectHost: 'k8s.cn-hangzhou.log.aliyuncs.com',
      port: 443,
      host: 'k8s.cn-hangzhou.log.aliyuncs.com',
      origin: 'https://k8s.cn-hangzhou.log.aliyuncs.com',
    });
    expect(projectTarget('http://10.0.0.5:8080', 'k8s')).toMatchObject({
      connectHost: '10.0.0.5',
      port: 8080,
      host: 'k8s.10.0.0.5:8080',
    });
    expect(projectTarget('https://x.log.aliyuncs.com/path', 'k8s')).toMatch(/more than a host/);
    expect(projectTarget('ftp://x', 'k8s')).toMatch(/not a host or an http\(s\) URL/);
  });
});
