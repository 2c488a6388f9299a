import type { Sink, SinkError } from '@keventer/core';
import { FakeFeishuBot, failingWrite, podEvent } from '@keventer/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { feishu } from '../src/index.js';
import { ctx } from './support.js';

const bots: FakeFeishuBot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.close();
});
async function startBot(options: Parameters<typeof FakeFeishuBot.start>[0] = {}) {
  const bot = await FakeFeishuBot.start(options);
  bots.push(bot);
  return bot;
}

/** Writes one event and returns the SinkError it must fail with. */
const failure = (sink: Sink): Promise<SinkError> => failingWrite(sink, [podEvent('web-1')]);

describe('feishu answers', () => {
  it('a wrong signing secret is permanent and says what to check', async () => {
    const bot = await startBot({ secret: 'right', token: 'tok-123456' });
    const error = await failure(await feishu({ endpoint: bot.url, sign: 'wrong' }));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/code 19021 .*sign match fail.*'sign' secret.*clock/);
    expect(error.message).not.toContain('wrong');
    expect(bot.messages).toHaveLength(0);
  });

  it('an unsigned request to a signing bot, or a stale timestamp, is refused', async () => {
    const late = await startBot({ secret: 'S', now: () => Date.now() + 3_601_000 });
    expect((await failure(await feishu({ endpoint: late.url, sign: 'S' }))).message).toMatch(
      /19021/,
    );
    const strict = await startBot({ secret: 'S' });
    expect((await failure(await feishu({ endpoint: strict.url }))).message).toMatch(/19021/);
    const inWindow = await startBot({ secret: 'S', now: () => Date.now() + 3_500_000 });
    await (await feishu({ endpoint: inWindow.url, sign: 'S' })).write([podEvent('a')], ctx());
    expect(inWindow.messages).toHaveLength(1);
  });

  it('a missing keyword, an IP not allowed and a wrong token are permanent with clear messages', async () => {
    const keywords = await startBot({ keywords: ['k8s-alert'] });
    const keyword = await failure(await feishu({ endpoint: keywords.url, label: ['other'] }));
    expect(keyword).toMatchObject({ retryable: false });
    expect(keyword.message).toMatch(/code 19024 \(Key Words Not Found\).*add one as a 'label'/);
    await (await feishu({ endpoint: keywords.url, label: ['k8s-alert'] })).write(
      [podEvent('a')],
      ctx(),
    );
    expect(keywords.messages).toHaveLength(1);

    const ips = await startBot({ allowedIps: ['10.0.0.7'] });
    const ip = await failure(await feishu({ endpoint: ips.url }));
    expect(ip.message).toMatch(/code 19022 .*IP allow-list/);

    const bot = await startBot({ token: 'the-right-token' });
    const wrongToken = 'wrong-token-9f8e7d';
    const endpoint = `${bot.origin}/open-apis/bot/v2/hook/${wrongToken}`;
    const token = await failure(await feishu({ endpoint }));
    expect(token).toMatchObject({ retryable: false });
    expect(token.message).toMatch(/code 19001 .*hook token/);
    expect(token.message + String(token.stack)).not.toContain(wrongToken);
  });

  it('a malformed or unknown-code answer is permanent with the code and msg', async () => {
    const bot = await startBot();
    const sink = await feishu({ endpoint: bot.url });
    bot.failNext('badRequest', { status: 200, body: { code: 12345, msg: 'something odd' } });
    const bad = await failure(sink);
    expect(bad).toMatchObject({ retryable: false, statusCode: 400 });
    expect(bad.message).toMatch(
      /code 9499 \(Bad Request\): the request was malformed or over 20 KB/,
    );
    const odd = await failure(sink);
    expect(odd).toMatchObject({ retryable: false });
    expect(odd.message).toMatch(/Feishu answered code 12345 \(something odd\)$/);
  });

  it('rate limiting is retryable: the bot allows 5 a second', async () => {
    const bot = await startBot();
    const sink = await feishu({ endpoint: bot.url });
    for (let i = 0; i < 5; i++) await sink.write([podEvent(`p${i}`)], ctx());
    const error = await failure(sink);
    expect(error).toMatchObject({ retryable: true, statusCode: 200 });
    expect(error.retryAfterMs).toBeUndefined(); // 11232 says nothing about how long
    expect(error.message).toMatch(/rate limited: Feishu answered code 11232 \(frequency limited/);
    expect(bot.messages).toHaveLength(5);
  });

  it('the bot allows 100 a minute', async () => {
    let now = 0;
    const bot = await startBot({ now: () => now });
    const sink = await feishu({ endpoint: bot.url });
    for (let i = 0; i < 100; i++) {
      now += 500; // 2 a second: under the per-second limit
      await sink.write([podEvent(`p${i}`)], ctx());
    }
    now += 500;
    expect((await failure(sink)).retryable).toBe(true);
    now = 60_501; // the first message (at 500 ms) has left the minute
    await sink.write([podEvent('later')], ctx());
    expect(bot.messages).toHaveLength(101);
  });

  it('the gateway limit, 9499 "too many request" and 5xx are retryable too', async () => {
    const bot = await startBot();
    const sink = await feishu({ endpoint: bot.url });
    bot.failNext(
      {
        status: 429,
        headers: { 'x-ogw-ratelimit-reset': '52' },
        body: { code: 99991400, msg: 'request trigger frequency limit' },
      },
      { status: 200, body: { code: 9499, msg: 'too many request' } },
      'serverError',
    );
    expect(await failure(sink)).toMatchObject({ retryable: true, retryAfterMs: 52_000 });
    expect(await failure(sink)).toMatchObject({ retryable: true });
    expect(await failure(sink)).toMatchObject({ retryable: true, statusCode: 500 });
  });

  it('accepts the legacy StatusCode answer, and reads its failures', async () => {
    const bot = await startBot({ legacyAnswers: true });
    const sink = await feishu({ endpoint: bot.url });
    await sink.write([podEvent('a')], ctx());
    expect(bot.messages).toHaveLength(1);
    bot.failNext({
      status: 200,
      body: { StatusCode: 19024, StatusMessage: 'Key Words Not Found' },
    });
    expect((await failure(sink)).message).toMatch(/code 19024 \(Key Words Not Found\)/);
  });

  it('an answer without a code (a proxy page) is not taken for success', async () => {
    const bot = await startBot();
    const sink = await feishu({ endpoint: bot.url });
    bot.failNext({ status: 200, body: 'welcome' }, { status: 502, body: 'bad gateway' });
    expect((await failure(sink)).message).toMatch(/unexpected answer without a code: "welcome"/);
    expect(await failure(sink)).toMatchObject({ retryable: true, statusCode: 502 });
  });

  it('never shows the hook token or the signing secret, also for network errors', async () => {
    const bot = await startBot({ token: 'tok-secret-5a6b' });
    const { url } = bot;
    await bot.close();
    bots.splice(bots.indexOf(bot), 1);
    const error = await failure(await feishu({ endpoint: url, sign: 'sign-secret-77' }));
    expect(error.retryable).toBe(true);
    const shown = `${error.message}\n${String(error.stack)}`;
    expect(shown).not.toContain('tok-secret-5a6b');
    expect(shown).not.toContain('sign-secret-77');
  });
});
