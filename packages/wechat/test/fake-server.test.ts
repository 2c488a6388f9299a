import { describe, expect, it } from 'vitest';
import { startFake } from './support.js';

// The fake is public (@keventer/testing): it must refuse what WeCom refuses.
const post = async (url: string, body: unknown) => {
  const response = await fetch(url, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return (await response.json()) as { errcode: number; errmsg: string } & Record<string, unknown>;
};
const get = async (url: string) =>
  (await (await fetch(url)).json()) as { errcode: number; errmsg: string } & Record<
    string,
    unknown
  >;

describe('FakeWeComServer', () => {
  it('checks gettoken credentials with the real errcodes', async () => {
    const fake = await startFake({ corpId: 'ww1', corpSecret: 's' });
    const token = (query: string) => get(`${fake.url}/cgi-bin/gettoken?${query}`);
    expect((await token('corpsecret=s')).errcode).toBe(41002);
    expect((await token('corpid=ww1')).errcode).toBe(41004);
    expect((await token('corpid=ww2&corpsecret=s')).errcode).toBe(40013);
    const wrong = await token('corpid=ww1&corpsecret=x');
    expect(wrong.errcode).toBe(40001);
    expect(wrong.errmsg).toMatch(
      /^invalid credential, hint: \[\w+\], from ip: 127\.0\.0\.1, more info at https:\/\/open\.work\.weixin\.qq\.com\/devtool\/query\?e=40001$/,
    );
    expect(await token('corpid=ww1&corpsecret=s')).toMatchObject({ errcode: 0, expires_in: 7200 });
    expect(fake.tokenRequests).toBe(5);
  });

  it('expires tokens on its own clock', async () => {
    let now = 1_000_000;
    const fake = await startFake({ now: () => now, tokenTtlSeconds: 60 });
    const issue = () =>
      get(`${fake.url}/cgi-bin/gettoken?corpid=ww00000000000000a1&corpsecret=fake-corp-secret`);
    const send = (token: string) =>
      post(`${fake.url}/cgi-bin/message/send?access_token=${token}`, {
        touser: '@all',
        msgtype: 'text',
        agentid: 1000002,
        text: { content: 'hi' },
        safe: 0,
      });
    const first = await issue();
    now += 30_000;
    expect(await issue()).toMatchObject({ access_token: first.access_token, expires_in: 30 });
    expect((await send(String(first.access_token))).errcode).toBe(0);
    now += 30_000;
    expect((await send(String(first.access_token))).errcode).toBe(42001);
    expect((await send('forged')).errcode).toBe(40014);
    expect((await issue()).access_token).not.toBe(first.access_token);
  });

  it('checks the message/send request', async () => {
    const fake = await startFake();
    const { access_token: token } = await get(
      `${fake.url}/cgi-bin/gettoken?corpid=ww00000000000000a1&corpsecret=fake-corp-secret`,
    );
    const send = `${fake.url}/cgi-bin/message/send?access_token=${String(token)}`;
    const message = { touser: 'a', msgtype: 'text', agentid: 1000002, text: { content: 'x' } };
    expect((await post(`${fake.url}/cgi-bin/message/send`, message)).errcode).toBe(41001);
    expect((await get(send)).errcode).toBe(43002);
    expect((await post(send, '{not json')).errcode).toBe(47001);
    expect((await post(send, { ...message, agentid: 7 })).errcode).toBe(40056);
    expect((await post(send, { ...message, msgtype: 'news' })).errcode).toBe(40008);
    expect((await post(send, { ...message, text: { content: '' } })).errcode).toBe(44004);
    expect((await post(send, { ...message, safe: 2 })).errcode).toBe(40058);
    expect((await post(send, { ...message, touser: '' })).errcode).toBe(40031);
    expect(fake.appMessages).toHaveLength(0);
    expect((await post(send, { ...message, text: { content: 'é'.repeat(1500) } })).errcode).toBe(0);
    expect(fake.appMessages[0]).toMatchObject({ cutByService: true });
    expect(Buffer.byteLength(fake.appMessages[0]?.content ?? '')).toBe(2048);
  });

  it('checks robot keys, content limits and the rate per robot', async () => {
    let now = 0;
    const fake = await startFake({ robotKeys: ['k1', 'k2'], now: () => now });
    const text = (content: string) => ({ msgtype: 'text', text: { content } });
    expect((await post(fake.robotUrl('nope'), text('x'))).errcode).toBe(93000);
    const tooLong = await post(fake.robotUrl('k1'), text('x'.repeat(2049)));
    expect(tooLong.errcode).toBe(40058);
    expect(tooLong.errmsg).toMatch(/^text\.content exceed max length 2048\./);
    const markdown = { msgtype: 'markdown', markdown: { content: 'x'.repeat(4097) } };
    expect((await post(fake.robotUrl('k1'), markdown)).errcode).toBe(40058);
    const mentions = { msgtype: 'text', text: { content: 'x', mentioned_list: 'alice' } };
    expect((await post(fake.robotUrl('k1'), mentions)).errcode).toBe(40058);
    for (let i = 0; i < 20; i++)
      expect((await post(fake.robotUrl('k1'), text('x'))).errcode).toBe(0);
    const limited = await post(fake.robotUrl('k1'), text('x'));
    expect(limited.errcode).toBe(45009);
    expect(limited.errmsg).toMatch(/^api freq out of limit, hint/);
    expect((await post(fake.robotUrl('k2'), text('x'))).errcode).toBe(0); // per robot
    now += 60_001;
    expect((await post(fake.robotUrl('k1'), text('x'))).errcode).toBe(0);
    expect(fake.robotMessages).toHaveLength(22);
  });

  it('injects faults for the API they name, in order', async () => {
    const fake = await startFake();
    fake.failNext({ api: 'webhook/send', status: 503, body: 'busy' }, { errcode: -1 });
    const text = { msgtype: 'text', text: { content: 'x' } };
    const token = await get(
      `${fake.url}/cgi-bin/gettoken?corpid=ww00000000000000a1&corpsecret=fake-corp-secret`,
    );
    expect(token.errcode).toBe(-1); // the second fault names no API
    const first = await fetch(fake.robotUrl(), { method: 'POST', body: JSON.stringify(text) });
    expect(first.status).toBe(503);
    expect((await post(fake.robotUrl(), text)).errcode).toBe(0);
  });
});
