import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dingtalk } from '../src/index.js';
import { failedWrite, fakeDingTalk, warning, write } from './helpers.js';

const TOKEN = 'b955d0c1token0a9f';
const SECRET = 'SECf094e0d33f815287ff3e75b9fd0d2f0dd15';

describe('dingtalk signing', () => {
  it('signs each request with the current time, as DingTalk recomputes it', async () => {
    const ding = await fakeDingTalk({ token: TOKEN, secret: SECRET });
    const sink = await dingtalk({ endpoint: ding.url, access_token: TOKEN, sign: SECRET });
    const before = Date.now();
    await write(sink, [warning()]);
    const [request] = ding.requests;
    const query = new URL(request?.url ?? '', 'http://x').searchParams;
    expect([...query.keys()]).toEqual(['access_token', 'timestamp', 'sign']);
    expect(query.get('access_token')).toBe(TOKEN);
    const timestamp = Number(query.get('timestamp'));
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(Date.now());
    const expected = createHmac('sha256', SECRET)
      .update(`${timestamp}\n${SECRET}`)
      .digest('base64');
    expect(query.get('sign')).toBe(expected);
    // '+', '/' and '=' of base64 are percent-encoded in the URL as sent.
    expect(request?.url).not.toMatch(/sign=[^&]*[+/=]/);
    expect(ding.messages).toHaveLength(1);
  });

  it('a wrong secret is refused (310000) and becomes a permanent error naming `sign`, not the secret', async () => {
    const ding = await fakeDingTalk({ token: TOKEN, secret: SECRET });
    const wrong = 'SECwrong0000secret1111';
    const sink = await dingtalk({ endpoint: ding.url, access_token: TOKEN, sign: wrong });
    const error = await failedWrite(sink, [warning()]);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(
      "DingTalk refused the signature: check that `sign` is this robot's signing secret",
    );
    expect(error.message).toContain('errcode 310000: description:机器人发送签名不匹配');
    for (const secret of [wrong, SECRET, TOKEN]) {
      expect(error.message).not.toContain(secret);
      expect(String(error.stack)).not.toContain(secret);
    }
    expect(ding.messages).toHaveLength(0);
  });

  it('tells to set `sign` when the robot signs and the sink does not', async () => {
    const ding = await fakeDingTalk({ token: TOKEN, secret: SECRET });
    const sink = await dingtalk({ endpoint: ding.url, access_token: TOKEN });
    const error = await failedWrite(sink, [warning()]);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('the robot requires signed requests: set `sign`');
  });

  it('a clock more than an hour off is refused, and the error says to check the clock', async () => {
    const twoHoursAhead = () => Date.now() + 2 * 3_600_000;
    const ding = await fakeDingTalk({ token: TOKEN, secret: SECRET, clock: twoHoursAhead });
    const sink = await dingtalk({ endpoint: ding.url, access_token: TOKEN, sign: SECRET });
    const error = await failedWrite(sink, [warning()]);
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/more than an hour off its clock: check this machine's clock/);
  });

  it('an IP outside the allow-list is refused with a hint about the allow-list', async () => {
    const ding = await fakeDingTalk({ token: TOKEN, allowedIps: ['203.0.113.7'] });
    const sink = await dingtalk({ endpoint: ding.url, access_token: TOKEN });
    const error = await failedWrite(sink, [warning()]);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("add its egress IP to the robot's IP allow-list");
  });

  it('an unknown token is permanent and says where the token comes from, without showing it', async () => {
    const ding = await fakeDingTalk({ token: TOKEN });
    const sink = await dingtalk({ endpoint: ding.url, access_token: 'not-a-robot-token-123' });
    const error = await failedWrite(sink, [warning()]);
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      "[keventer] [dingtalk] DingTalk knows no robot with this access_token: give the value after 'access_token=' in the robot's webhook URL (errcode 300001: token is not exist)",
    );
  });

  it('a network failure is retryable and shows neither token nor secret', async () => {
    const ding = await fakeDingTalk({ token: TOKEN, secret: SECRET });
    const sink = await dingtalk({ endpoint: ding.url, access_token: TOKEN, sign: SECRET });
    await ding.close();
    const error = await failedWrite(sink, [warning()]);
    expect(error.retryable).toBe(true);
    const everything = `${error.message}\n${String(error.stack)}\n${String((error.cause as Error)?.message)}`;
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(SECRET);
  });
});
