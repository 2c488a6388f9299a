import { renderText } from '@keventer/core/kit';
import type { FakeWeComServer } from '@keventer/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { wechat } from '../src/index.js';
import { backOff, failure, startFake, write } from './support.js';

const SECRET = 'app-secret-do-not-print';

async function appSink(apiBase: string, extra: Record<string, unknown> = {}) {
  return wechat({
    corp_id: 'ww-corp',
    corp_secret: SECRET,
    agent_id: 1000002,
    api_base: apiBase,
    ...extra,
  });
}

const startApp = (options = {}) => startFake({ corpId: 'ww-corp', corpSecret: SECRET, ...options });

const sends = (fake: FakeWeComServer) =>
  fake.requests.filter((r) => r.path === '/cgi-bin/message/send');

afterEach(() => {
  vi.useRealTimers();
});

describe('wechat application form', () => {
  it("posts kube-eventer's message/send body", async () => {
    const fake = await startApp();
    const sink = await appSink(fake.url, { to_user: 'alice,bob', label: ['cluster-a'] });
    const event = backOff();
    await write(sink, event);
    const [request] = sends(fake);
    expect(JSON.parse(request?.body ?? '')).toEqual({
      touser: 'alice|bob',
      msgtype: 'text',
      agentid: 1000002,
      text: { content: renderText(event, ['cluster-a']) },
      safe: 0,
    });
    expect(fake.appMessages).toHaveLength(1);
    expect(fake.appMessages[0]?.cutByService).toBe(false);
  });

  it('sends to @all when to_user is not given', async () => {
    const fake = await startApp();
    await write(await appSink(fake.url), backOff());
    expect(fake.appMessages[0]?.touser).toBe('@all');
  });

  it('fetches the token once for 50 messages, also when they are written at once', async () => {
    const fake = await startApp();
    const sink = await appSink(fake.url);
    await Promise.all(Array.from({ length: 25 }, (_, i) => write(sink, backOff(`m${i}`))));
    for (let i = 25; i < 50; i++) await write(sink, backOff(`m${i}`));
    expect(fake.appMessages).toHaveLength(50);
    expect(fake.tokenRequests).toBe(1);
    expect(new Set(fake.appMessages.map((m) => m.accessToken)).size).toBe(1);
  });

  it('refreshes an expired token once and resends the message once', async () => {
    const fake = await startApp();
    const sink = await appSink(fake.url);
    await write(sink, backOff('first'));
    fake.expireTokens();
    await write(sink, backOff('second'));
    expect(fake.tokenRequests).toBe(2);
    expect(sends(fake)).toHaveLength(3); // first, second refused (42001), second again
    expect(fake.appMessages.map((m) => m.content.split('\n').at(-1))).toEqual([
      'Message: first',
      'Message: second',
    ]);
    const [first, second] = fake.appMessages;
    expect(second?.accessToken).not.toBe(first?.accessToken);
  });

  it('treats an invalid token (40014) like an expired one', async () => {
    const fake = await startApp();
    const sink = await appSink(fake.url);
    fake.failNext({ api: 'message/send', errcode: 40014, errmsg: 'invalid access_token' });
    await write(sink, backOff());
    expect(fake.tokenRequests).toBe(2);
    expect(fake.appMessages).toHaveLength(1);
  });

  it('reports a second refusal in a row as an error instead of looping', async () => {
    const fake = await startApp();
    const sink = await appSink(fake.url);
    const expired = {
      api: 'message/send',
      errcode: 42001,
      errmsg: 'access_token expired',
    } as const;
    fake.failNext(expired, expired);
    const error = await failure(write(sink, backOff()));
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/refused a freshly fetched access token too \(errcode 42001\)/);
    expect(sends(fake)).toHaveLength(2);
    expect(fake.tokenRequests).toBe(2);
    expect(fake.appMessages).toHaveLength(0);
  });

  it('refreshes the token shortly before it expires, without a refused send', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-03-04T00:00:00Z'));
    const fake = await startApp();
    const sink = await appSink(fake.url);
    await write(sink, backOff());
    vi.setSystemTime(Date.now() + 7100_000); // 100 s left: WeCom gives the same token back
    await write(sink, backOff());
    vi.setSystemTime(Date.now() + 200_000); // past its lifetime: a new one
    await write(sink, backOff());
    expect(fake.tokenRequests).toBe(3);
    expect(sends(fake)).toHaveLength(3);
    const [first, second, third] = fake.appMessages.map((m) => m.accessToken);
    expect(second).toBe(first);
    expect(third).not.toBe(first);
  });

  it('gives up at once on a wrong corp_secret, fetching once for concurrent writes', async () => {
    const fake = await startFake({ corpId: 'ww-corp', corpSecret: 'the-right-one' });
    const sink = await appSink(fake.url);
    const errors = await Promise.all([
      failure(write(sink, backOff())),
      failure(write(sink, backOff())),
    ]);
    for (const error of errors) {
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(/gettoken: WeCom errcode 40001 \(the corp_secret is wrong\)/);
      expect(error.message).not.toContain(SECRET);
      expect(String(error.stack)).not.toContain(SECRET);
    }
    expect(fake.tokenRequests).toBe(1);
    expect(sends(fake)).toHaveLength(0);
    // The refusal is remembered: the next message fails the same way without a request.
    const later = await failure(write(sink, backOff()));
    expect(later.message).toBe(errors[0]?.message);
    expect(fake.tokenRequests).toBe(1);
  });

  it('says which option is wrong for a bad corp_id', async () => {
    const fake = await startFake({ corpId: 'ww-other', corpSecret: SECRET });
    const error = await failure(write(await appSink(fake.url), backOff()));
    expect(error.message).toMatch(/errcode 40013 \(the corp_id is wrong\)/);
    expect(error.retryable).toBe(false);
  });

  it('rejects a wrong agent_id permanently', async () => {
    const fake = await startApp({ agentId: 1000005 });
    const error = await failure(write(await appSink(fake.url), backOff()));
    expect(error.message).toMatch(/message\/send: WeCom errcode 40056/);
    expect(error.retryable).toBe(false);
  });

  it('retries rate limits (45009, 45033) and system busy (-1)', async () => {
    const fake = await startApp();
    const sink = await appSink(fake.url);
    fake.failNext(
      { api: 'message/send', errcode: 45009, errmsg: 'api freq out of limit' },
      { api: 'message/send', errcode: 45033, errmsg: 'api concurrent out of limit' },
      { api: 'message/send', errcode: -1, errmsg: 'system busy' },
    );
    const limited = await failure(write(sink, backOff()));
    expect(limited).toMatchObject({ retryable: true, retryAfterMs: 60_000 });
    expect(await failure(write(sink, backOff()))).toMatchObject({ retryable: true });
    expect(await failure(write(sink, backOff()))).toMatchObject({ retryable: true });
    await write(sink, backOff());
    expect(fake.appMessages).toHaveLength(1);
    expect(fake.tokenRequests).toBe(1);
  });

  it('fails permanently when no recipient exists, and delivers when some do', async () => {
    const fake = await startApp({ users: ['alice'] });
    const nobody = await failure(write(await appSink(fake.url, { to_user: 'bob' }), backOff()));
    expect(nobody.message).toMatch(/errcode 81013 \(no user in to_user/);
    expect(nobody.retryable).toBe(false);
    await write(await appSink(fake.url, { to_user: 'alice,bob' }), backOff());
    expect(fake.appMessages.map((m) => m.touser)).toEqual(['alice|bob']);
  });

  it('never puts the access token or the secret in an error', async () => {
    const fake = await startApp();
    const sink = await appSink(fake.url);
    await write(sink, backOff());
    const token = fake.appMessages[0]?.accessToken ?? '';
    expect(token).not.toBe('');
    fake.failNext({
      api: 'message/send',
      status: 502,
      body: `<html>bad gateway: /cgi-bin/message/send?access_token=${token}</html>`,
    });
    const gateway = await failure(write(sink, backOff()));
    expect(gateway.retryable).toBe(true);
    await fake.close();
    const network = await failure(write(sink, backOff()));
    expect(network.retryable).toBe(true);
    for (const error of [gateway, network]) {
      expect(error.message).not.toContain(token);
      expect(error.message).not.toContain(SECRET);
      expect(String(error.stack)).not.toContain(token);
    }
  });

  it('cuts text at 2048 bytes itself, so the service never has to', async () => {
    const fake = await startApp();
    await write(await appSink(fake.url), backOff('告警'.repeat(2000)));
    const [message] = fake.appMessages;
    expect(message?.cutByService).toBe(false);
    expect(Buffer.byteLength(message?.content ?? '')).toBeLessThanOrEqual(2048);
    expect(message?.content.endsWith('\n…(truncated)')).toBe(true);
  });

  it('sends markdown application messages', async () => {
    const fake = await startApp();
    await write(await appSink(fake.url, { msg_type: 'markdown' }), backOff());
    expect(fake.appMessages[0]?.msgtype).toBe('markdown');
    expect(fake.appMessages[0]?.content).toContain('**Reason:** BackOff');
  });
});
