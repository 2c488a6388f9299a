import { createSinkFromUri, normalizeEvent } from '@keventer/core';
import { SinkConfigError } from '@keventer/core/kit';
import { buildEvent } from '@keventer/testing';
import { describe, expect, it } from 'vitest';
import { wechat } from '../src/index.js';
import { backOff, startFake, write } from './support.js';

const configError = async (uri: string) => {
  const error = await wechat.fromUri(uri).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(SinkConfigError);
  return (error as SinkConfigError).message;
};

const event = (type: string, namespace: string, kind: string) =>
  normalizeEvent(buildEvent({ type, involvedObject: { kind, namespace, name: 'x' } }));

describe('wechat URIs and options', () => {
  it("reads kube-eventer's application URI", async () => {
    const fake = await startFake({ corpId: 'ww1', corpSecret: 's3' });
    const uri = `wechat:?corp_id=ww1&corp_secret=s3&agent_id=1000002&to_user=a,b&level=Normal&label=c1&label=c2&api_base=${fake.url}`;
    await write(await wechat.fromUri(uri), backOff());
    expect(fake.appMessages[0]?.touser).toBe('a|b');
    expect(fake.appMessages[0]?.content.startsWith('c1\nc2\nLevel: Warning\n')).toBe(true);
  });

  it('reads a group robot URI; createSinkFromUri finds the scheme', async () => {
    const fake = await startFake();
    const created = await createSinkFromUri(
      `wechat:${fake.robotUrl()}&msg_type=markdown&batch.maxEvents=1&request.rateLimitNum=10`,
    );
    expect(created.delivery).toEqual({ 'batch.maxEvents': '1', 'request.rateLimitNum': '10' });
    await write(created.sink, backOff());
    expect(fake.robotMessages[0]?.msgtype).toBe('markdown');
  });

  it('declares the chatRobot delivery profile', () => {
    expect(wechat.delivery).toMatchObject({
      batch: { maxEvents: 1 },
      request: { rateLimitNum: 20, rateLimitDurationMs: 62_000 },
    });
  });

  it('filters like kube-eventer: Warning by default, then namespaces and kinds', async () => {
    const byDefault = await wechat.fromUri('wechat:?corp_id=a&corp_secret=b&agent_id=1');
    expect(byDefault.filter?.(event('Warning', 'shop', 'Pod'))).toBe(true);
    expect(byDefault.filter?.(event('Normal', 'shop', 'Pod'))).toBe(false);
    const narrow = await wechat.fromUri(
      'wechat:?corp_id=a&corp_secret=b&agent_id=1&level=Normal&namespaces=shop,web&kinds=Pod',
    );
    expect(narrow.filter?.(event('Normal', 'shop', 'Pod'))).toBe(true);
    expect(narrow.filter?.(event('Warning', 'web', 'Pod'))).toBe(true);
    expect(narrow.filter?.(event('Warning', 'kube-system', 'Pod'))).toBe(false);
    expect(narrow.filter?.(event('Warning', 'shop', 'Deployment'))).toBe(false);
  });

  it('refuses unknown options, naming them', async () => {
    expect(await configError('wechat:?corp_id=a&corp_secret=b&agent_id=1&corpid=a')).toMatch(
      /unknown option 'corpid'/,
    );
  });

  it('refuses a mix of both forms', async () => {
    const message = await configError(
      'wechat:https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY-123&corp_id=a',
    );
    expect(message).toMatch(
      /application options \(corp_id\) and group robot options \(endpoint, key\) are mixed/,
    );
    expect(message).toMatch(/for another API host use api_base/);
    expect(message).not.toContain('KEY-123');
  });

  it('says what is missing', async () => {
    expect(await configError('wechat:')).toMatch(/nothing to send to/);
    expect(await configError('wechat:?corp_id=a&to_user=x')).toMatch(
      /missing: corp_secret, agent_id/,
    );
    expect(await configError('wechat:https://qyapi.weixin.qq.com/cgi-bin/webhook/send')).toMatch(
      /key is missing/,
    );
  });

  it('refuses conflicting robot options', async () => {
    const url = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send';
    expect(await configError(`wechat:${url}?key=a&msg_type=markdown&mentioned_list=x`)).toMatch(
      /msg_type=text only/,
    );
    await expect(wechat({ endpoint: `${url}?key=a`, key: 'b' })).rejects.toThrow(
      /different robot keys/,
    );
    await expect(wechat({ endpoint: url, key: 'a', api_base: 'http://x' })).rejects.toThrow(
      /endpoint or api_base, not both/,
    );
  });

  it("refuses lowercase 'warning' and a non-numeric agent_id, never printing the secret", async () => {
    const message = await configError(
      'wechat:?corp_id=a&corp_secret=TOPSECRET&agent_id=abc&level=warning',
    );
    expect(message).toMatch(/did you mean 'Warning'/);
    expect(message).toMatch(/option 'agent_id': 'abc' is not accepted/);
    expect(message).not.toContain('TOPSECRET');
  });

  it('refuses a template that is not logic-less at startup', async () => {
    await expect(wechat({ key: 'k', template: '{{ if .Reason }}x{{ end }}' })).rejects.toThrow(
      /template of option 'template', line 1: '\{\{ if .Reason \}\}' is not a field reference/,
    );
  });
});
