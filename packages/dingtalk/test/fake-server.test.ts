import { createHmac } from 'node:crypto';
import { DINGTALK_ANSWERS } from '@keventer/testing';
import { describe, expect, it } from 'vitest';
import { fakeDingTalk } from './helpers.js';

const TOKEN = 'fake-test-token';
const SECRET = 'SECfake0test0secret';
const text = (content: string) => ({ msgtype: 'text', text: { content } });

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as unknown };
}

describe('FakeDingTalkServer', () => {
  it('checks path, method, content type and token like DingTalk', async () => {
    const ding = await fakeDingTalk({ token: TOKEN });
    const send = `${ding.url}?access_token=${TOKEN}`;
    expect(await post(ding.url.replace('send', 'sent'), text('x'))).toMatchObject({ status: 404 });
    const get = await fetch(send);
    expect(await get.json()).toEqual(DINGTALK_ANSWERS.postRequired);
    expect((await post(send, text('x'), { 'content-type': 'text/plain' })).json).toEqual(
      DINGTALK_ANSWERS.badContentType,
    );
    expect((await post(`${ding.url}?access_token=nope`, text('x'))).json).toEqual({
      errcode: 300001,
      errmsg: 'token is not exist',
    });
    expect(await post(send, text('x'))).toEqual({
      status: 200,
      json: { errcode: 0, errmsg: 'ok' },
    });
    expect(ding.messages).toHaveLength(1);
    expect(ding.requests).toHaveLength(5);
  });

  it('validates the body: JSON, msgtype and required fields', async () => {
    const ding = await fakeDingTalk({ token: TOKEN });
    const send = `${ding.url}?access_token=${TOKEN}`;
    const answers = [];
    for (const body of [
      '{"msgtype":"text","text":{"content":"x"}',
      { text: { content: 'x' } },
      { msgtype: 'card' },
      { msgtype: 'text' },
      { msgtype: 'text', text: { content: '' } },
      { msgtype: 'markdown', markdown: { text: 'x' } },
      { msgtype: 'markdown', markdown: { title: 't' } },
      { msgtype: 'text', text: { content: 'x' }, at: { atMobiles: '138' } },
    ]) {
      answers.push((await post(send, body)).json);
    }
    expect(answers).toEqual([
      { errcode: 40035, errmsg: '缺少参数 json' },
      { errcode: 400101, errmsg: 'miss param : msgtype' },
      { errcode: 400102, errmsg: 'invalid msgtype : card' },
      { errcode: 400201, errmsg: 'miss param : text' },
      { errcode: 400202, errmsg: 'miss param : text->content' },
      { errcode: 400402, errmsg: 'miss param : markdown->title' },
      { errcode: 400403, errmsg: 'miss param : markdown->text' },
      { errcode: 40035, errmsg: '缺少参数 json' },
    ]);
    expect(ding.messages).toHaveLength(0);
  });

  it('refuses a body over 20000 bytes', async () => {
    const ding = await fakeDingTalk({ token: TOKEN });
    const send = `${ding.url}?access_token=${TOKEN}`;
    const envelope = JSON.stringify(text('')).length;
    expect((await post(send, text('x'.repeat(20_000 - envelope)))).json).toEqual(
      DINGTALK_ANSWERS.ok,
    );
    expect((await post(send, text('x'.repeat(20_001 - envelope)))).json).toEqual(
      DINGTALK_ANSWERS.bodyTooLarge,
    );
  });

  it('recomputes the signature; an unencoded + in it reads as a space and fails', async () => {
    const now = 1_772_000_000_123;
    const ding = await fakeDingTalk({ token: TOKEN, secret: SECRET, clock: () => now });
    // Search a timestamp whose signature holds a '+'.
    let ts = now;
    const sign = (t: number) =>
      createHmac('sha256', SECRET).update(`${t}\n${SECRET}`).digest('base64');
    while (!sign(ts).includes('+')) ts++;
    const base = `${ding.url}?access_token=${TOKEN}&timestamp=${ts}`;
    expect((await post(`${base}&sign=${sign(ts)}`, text('x'))).json).toEqual(
      DINGTALK_ANSWERS.signNotMatch,
    );
    expect((await post(`${base}&sign=${encodeURIComponent(sign(ts))}`, text('x'))).json).toEqual(
      DINGTALK_ANSWERS.ok,
    );
    const old = now - 3_600_001;
    expect(
      (
        await post(
          `${ding.url}?access_token=${TOKEN}&timestamp=${old}&sign=${encodeURIComponent(sign(old))}`,
          text('x'),
        )
      ).json,
    ).toEqual(DINGTALK_ANSWERS.timestampExpired);
    expect((await post(`${ding.url}?access_token=${TOKEN}`, text('x'))).json).toEqual(
      DINGTALK_ANSWERS.signNotMatch,
    );
  });

  it('keywords: anywhere in the text, or in a markdown title', async () => {
    const ding = await fakeDingTalk({ token: TOKEN, keywords: ['alert', '告警'] });
    const send = `${ding.url}?access_token=${TOKEN}`;
    expect((await post(send, text('no keyword'))).json).toEqual(
      DINGTALK_ANSWERS.keywordsNotInContent,
    );
    expect((await post(send, text('集群告警: disk'))).json).toEqual(DINGTALK_ANSWERS.ok);
    const md = { msgtype: 'markdown', markdown: { title: 'alert', text: 'disk full' } };
    expect((await post(send, md)).json).toEqual(DINGTALK_ANSWERS.ok);
  });

  it('blocks a robot for blockMs after its rate, per robot', async () => {
    let now = 0;
    const ding = await fakeDingTalk({
      token: TOKEN,
      ratePerMinute: 3,
      blockMs: 120_000,
      clock: () => now,
    });
    ding.addRobot({ token: 'other' });
    const send = `${ding.url}?access_token=${TOKEN}`;
    const codes = [];
    for (let i = 0; i < 4; i++)
      codes.push(((await post(send, text(`m${i}`))).json as { errcode: number }).errcode);
    expect(codes).toEqual([0, 0, 0, 130101]);
    expect(ding.blockedUntil()).toBe(120_000);
    expect((await post(`${ding.url}?access_token=other`, text('x'))).json).toEqual(
      DINGTALK_ANSWERS.ok,
    );
    now = 119_999;
    expect((await post(send, text('x'))).json).toEqual(DINGTALK_ANSWERS.sendTooFast);
    now = 120_000;
    expect((await post(send, text('x'))).json).toEqual(DINGTALK_ANSWERS.ok);
    expect(ding.blockedUntil()).toBeUndefined();
  });

  it('failNext answers the next requests first; reset forgets everything', async () => {
    const ding = await fakeDingTalk({ token: TOKEN });
    const send = `${ding.url}?access_token=${TOKEN}`;
    ding.failNext({ errcode: -1, errmsg: '系统繁忙' }, { status: 503, body: 'busy' });
    expect((await post(send, text('a'))).json).toEqual({ errcode: -1, errmsg: '系统繁忙' });
    const res = await fetch(send, { method: 'POST', body: '{}' });
    expect([res.status, await res.text()]).toEqual([503, 'busy']);
    expect((await post(send, text('b'))).json).toEqual(DINGTALK_ANSWERS.ok);
    expect(ding.messages.map((m) => m.content)).toEqual(['b']);
    ding.reset();
    expect([ding.messages.length, ding.requests.length]).toEqual([0, 0]);
  });

  it('renders what the group sees', async () => {
    const ding = await fakeDingTalk({
      token: TOKEN,
      clock: () => Date.parse('2026-03-01T08:30:05Z'),
    });
    const send = `${ding.url}?access_token=${TOKEN}`;
    await post(send, {
      ...text('cluster1\nLevel: Warning'),
      at: { atMobiles: ['138'], isAtAll: false },
    });
    await post(send, {
      msgtype: 'markdown',
      markdown: {
        title: 'Warning BackOff',
        text: 'cluster1\n\n### Warning BackOff\n\n**Level:** Warning',
      },
      at: { isAtAll: true },
    });
    expect(ding.renderChat()).toBe(
      [
        '[08:30:05] robot',
        'cluster1',
        'Level: Warning',
        '@138',
        '',
        '[08:30:05] robot · Warning BackOff',
        'cluster1',
        'Warning BackOff',
        'Level: Warning',
        '@all',
      ].join('\n'),
    );
  });

  it('sinkUri gives a kube-eventer URI for the default robot', async () => {
    const ding = await fakeDingTalk({ token: TOKEN, secret: SECRET });
    expect(ding.sinkUri({ label: ['a', 'b c'], level: 'Normal' })).toBe(
      `dingtalk:${ding.url}?access_token=${TOKEN}&sign=${SECRET}&label=a&label=b+c&level=Normal`,
    );
  });
});
