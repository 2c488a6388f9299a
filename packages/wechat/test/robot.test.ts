import { describe, expect, it } from 'vitest';
import { wechat } from '../src/index.js';
import { backOff, failure, startFake, write } from './support.js';

const KEY = 'robot-key-do-not-print';
const MARKER = '\n…(truncated)';

async function robot(options: Record<string, unknown> = {}) {
  const fake = await startFake({ robotKeys: [KEY] });
  const sink = await wechat({ endpoint: fake.robotUrl(KEY), ...options });
  return { fake, sink };
}

const bytes = (text = '') => Buffer.byteLength(text, 'utf8');

describe('wechat group robot form', () => {
  it('posts a text message with the kube-eventer layout', async () => {
    const { fake, sink } = await robot({ label: ['cluster-a', 'prod'] });
    await write(sink, backOff());
    expect(fake.requests).toHaveLength(1);
    expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({
      msgtype: 'text',
      text: {
        content: [
          'cluster-a',
          'prod',
          'Level: Warning',
          'Kind: Pod',
          'Namespace: shop',
          'Name: web-1',
          'Reason: BackOff',
          'Timestamp: 2025-03-04T05:06:07.000Z',
          'Message: Back-off restarting failed container',
        ].join('\n'),
      },
    });
    expect(fake.requests[0]?.query).toEqual({ key: KEY });
  });

  it('posts markdown with bold field names and the level in colour', async () => {
    const { fake, sink } = await robot({ msg_type: 'markdown' });
    await write(sink, backOff());
    expect(fake.robotMessages[0]?.msgtype).toBe('markdown');
    expect(fake.robotMessages[0]?.content).toBe(
      [
        '**Level:** <font color="warning">Warning</font>',
        '**Kind:** Pod',
        '**Namespace:** shop',
        '**Name:** web-1',
        '**Reason:** BackOff',
        '**Timestamp:** 2025-03-04T05:06:07.000Z',
        '**Message:** Back-off restarting failed container',
      ].join('\n'),
    );
  });

  it('accepts the key as its own option', async () => {
    const fake = await startFake({ robotKeys: [KEY] });
    const sink = await wechat({ key: KEY, api_base: fake.url });
    await write(sink, backOff());
    expect(fake.robotMessages).toHaveLength(1);
  });

  it('mentions users and mobiles in text messages', async () => {
    const { fake, sink } = await robot({
      mentioned_list: 'alice,@all',
      mentioned_mobile_list: ['13800001111'],
    });
    await write(sink, backOff());
    const [message] = fake.robotMessages;
    expect(message?.mentionedList).toEqual(['alice', '@all']);
    expect(message?.mentionedMobileList).toEqual(['13800001111']);
  });

  it('sends no mention fields when none are set', async () => {
    const { fake, sink } = await robot();
    await write(sink, backOff());
    expect(Object.keys(fake.robotMessages[0]?.body.text as object)).toEqual(['content']);
  });

  it('cuts text at 2048 bytes on a character boundary, with the marker', async () => {
    const { fake, sink } = await robot();
    await write(sink, backOff('容器'.repeat(1000))); // 6000 bytes of CJK
    const content = fake.robotMessages[0]?.content ?? '';
    expect(bytes(content)).toBeLessThanOrEqual(2048);
    expect(bytes(content)).toBeGreaterThan(2048 - 3 - bytes(MARKER));
    expect(content.endsWith(MARKER)).toBe(true);
    expect(content).not.toContain('\uFFFD');
  });

  it('cuts markdown at 4096 bytes, also between emoji', async () => {
    const { fake, sink } = await robot({ msg_type: 'markdown' });
    await write(sink, backOff('🔥'.repeat(3000))); // 12000 bytes
    const content = fake.robotMessages[0]?.content ?? '';
    expect(bytes(content)).toBeLessThanOrEqual(4096);
    expect(bytes(content)).toBeGreaterThan(4096 - 4 - bytes(MARKER));
    expect(content.endsWith(`🔥${MARKER}`)).toBe(true);
    expect(content).not.toContain('\uFFFD');
  });

  it('keeps JSON-hostile text intact', async () => {
    const hostile = 'say "hi" \\ C:\\path\n\ttab </script> {"a":1} \u2028 中文 ✓ 👍🏽 \u0000';
    const { fake, sink } = await robot();
    await write(sink, backOff(hostile));
    expect(fake.robotMessages[0]?.content.endsWith(`Message: ${hostile}`)).toBe(true);
  });

  it('fails permanently on an unknown key (93000), without printing the key', async () => {
    const fake = await startFake({ robotKeys: ['another-key'] });
    const sink = await wechat({ endpoint: fake.robotUrl(KEY) });
    const error = await failure(write(sink, backOff()));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/webhook\/send: WeCom errcode 93000 \(the robot webhook URL/);
    expect(error.message).toContain('invalid webhook url');
    expect(error.message).not.toContain(KEY);
    expect(String(error.stack)).not.toContain(KEY);
  });

  it('retries the 21st message of a minute after 60 s (45009)', async () => {
    const { fake, sink } = await robot();
    for (let i = 0; i < 20; i++) await write(sink, backOff(`m${i}`));
    const error = await failure(write(sink, backOff('m20')));
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 60_000 });
    expect(error.message).toMatch(/errcode 45009: api freq out of limit/);
    expect(fake.robotMessages).toHaveLength(20);
  });

  it('fails permanently on other errcodes, with errcode and errmsg', async () => {
    const { fake, sink } = await robot();
    fake.failNext({ errcode: 40008, errmsg: 'invalid message type' });
    const error = await failure(write(sink, backOff()));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/errcode 40008: invalid message type/);
  });

  it('sends a batch as one message, events in order, labels once', async () => {
    const { fake, sink } = await robot({ label: ['prod'] });
    await write(sink, backOff('one', 'a'), backOff('two', 'b'));
    expect(fake.robotMessages).toHaveLength(1);
    const content = fake.robotMessages[0]?.content ?? '';
    expect(content.match(/prod/g)).toHaveLength(1);
    expect(content).toContain(
      'Message: one\n\nLevel: Warning\nKind: Pod\nNamespace: shop\nName: b',
    );
    expect(content.endsWith('Message: two')).toBe(true);
  });
});
