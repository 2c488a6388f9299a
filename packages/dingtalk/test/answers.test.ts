import { describe, expect, it } from 'vitest';
import { dingtalk, RATE_LIMIT_RETRY_AFTER_MS } from '../src/index.js';
import { failedWrite, fakeDingTalk, warning, write } from './helpers.js';

const TOKEN = 'answers-token-5c2e';

describe('dingtalk answers', () => {
  it('a message without the keyword is permanent, with what to put in `label`', async () => {
    const ding = await fakeDingTalk({ token: TOKEN, keywords: ['k8s-prod'] });
    const bare = await dingtalk({ endpoint: ding.url, access_token: TOKEN });
    const noLabel = await failedWrite(bare, [warning()]);
    expect(noLabel.retryable).toBe(false);
    expect(noLabel.message).toBe(
      "[keventer] [dingtalk] DingTalk refused the message: it holds none of the robot's security keywords and no `label` is set. Put a keyword in `label` (every message starts with the labels) (errcode 310000: description:关键词不匹配;solution:请联系群管理员查看此机器人的关键词，并在发送的信息中包含此关键词;)",
    );
    const wrongLabel = await dingtalk({ endpoint: ding.url, access_token: TOKEN, label: ['prod'] });
    expect((await failedWrite(wrongLabel, [warning()])).message).toContain(
      "the labels ('prod') hold none of them",
    );
    const labelled = await dingtalk({
      endpoint: ding.url,
      access_token: TOKEN,
      label: ['k8s-prod'],
    });
    await write(labelled, [warning()]);
    expect(ding.messages.map((m) => m.content.split('\n')[0])).toEqual(['k8s-prod']);
  });

  it('the 21st message in a minute is retryable after 60 s; the robot stays blocked 10 minutes', async () => {
    let now = Date.parse('2026-03-01T08:30:00Z');
    const ding = await fakeDingTalk({ token: TOKEN, clock: () => now });
    const sink = await dingtalk({ endpoint: ding.url, access_token: TOKEN });
    for (let i = 0; i < 20; i++) {
      await write(sink, [warning()]);
      now += 1000;
    }
    const error = await failedWrite(sink, [warning()]);
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(RATE_LIMIT_RETRY_AFTER_MS);
    expect(RATE_LIMIT_RETRY_AFTER_MS).toBe(60_000);
    expect(error.message).toContain(
      'DingTalk is rate limiting this robot: more than 20 messages in a minute block it for about 10 minutes (errcode 130101: send too fast, exceed 20 times per minute)',
    );
    expect(ding.messages).toHaveLength(20);
    now += 61_000; // a new minute, but still blocked
    expect((await failedWrite(sink, [warning()])).retryable).toBe(true);
    now += 10 * 60_000;
    await write(sink, [warning()]);
    expect(ding.messages).toHaveLength(21);
  });

  it('a non-JSON page on HTTP 200 is retryable: a proxy answered, not DingTalk', async () => {
    const ding = await fakeDingTalk({ token: TOKEN });
    ding.failNext({ status: 200, body: '<html><body>Proxy login required</body></html>' });
    const sink = await dingtalk({ endpoint: ding.url, access_token: TOKEN });
    const error = await failedWrite(sink, [warning()]);
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(
      `[keventer] [dingtalk] HTTP 200 without DingTalk's {"errcode":...} answer (a proxy or gateway page?): <html><body>Proxy login required</body></html>`,
    );
  });

  it('an unknown errcode is permanent and quotes errcode and errmsg', async () => {
    const ding = await fakeDingTalk({ token: TOKEN });
    ding.failNext({ errcode: 400102, errmsg: 'invalid msgtype : card' });
    const sink = await dingtalk({ endpoint: ding.url, access_token: TOKEN });
    const error = await failedWrite(sink, [warning()]);
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      '[keventer] [dingtalk] DingTalk refused the message (errcode 400102: invalid msgtype : card)',
    );
  });

  it('HTTP errors go by status: 502 retryable, 429 with Retry-After, 404 permanent', async () => {
    const ding = await fakeDingTalk({ token: TOKEN });
    const sink = await dingtalk({ endpoint: ding.url, access_token: TOKEN });
    ding.failNext(
      { status: 502, body: 'Bad Gateway' },
      { status: 429, headers: { 'retry-after': '3' } },
    );
    const gateway = await failedWrite(sink, [warning()]);
    expect([gateway.retryable, gateway.statusCode]).toEqual([true, 502]);
    const tooMany = await failedWrite(sink, [warning()]);
    expect([tooMany.retryable, tooMany.retryAfterMs]).toEqual([true, 3000]);
    const lost = await dingtalk({
      endpoint: ding.url.replace('/robot/send', '/robot/sned'),
      access_token: TOKEN,
    });
    const notFound = await failedWrite(lost, [warning()]);
    expect([notFound.retryable, notFound.statusCode]).toEqual([false, 404]);
  });

  it('errcode -1 (system busy) is retryable; a dissolved group is permanent', async () => {
    const ding = await fakeDingTalk({ token: TOKEN });
    const sink = await dingtalk({ endpoint: ding.url, access_token: TOKEN });
    ding.failNext({ errcode: -1, errmsg: '系统繁忙' }, { errcode: 400013, errmsg: '群已被解散' });
    expect((await failedWrite(sink, [warning()])).retryable).toBe(true);
    const dissolved = await failedWrite(sink, [warning()]);
    expect(dissolved.retryable).toBe(false);
    expect(dissolved.message).toContain("the robot's group has been dissolved");
  });
});
