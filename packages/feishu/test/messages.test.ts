import { createHmac } from 'node:crypto';
import { TRUNCATED_MARKER, utf8Length } from '@keventer/core/kit';
import { digestOf, FakeFeishuBot, podEvent } from '@keventer/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { feishu, MAX_BODY_BYTES } from '../src/index.js';
import { ctx, fieldLines } from './support.js';

const bots: FakeFeishuBot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.close();
});
async function startBot(options: Parameters<typeof FakeFeishuBot.start>[0] = {}) {
  const bot = await FakeFeishuBot.start(options);
  bots.push(bot);
  return bot;
}
const lastBody = (bot: FakeFeishuBot) => JSON.parse(bot.requests.at(-1)?.body ?? 'null');

/** A digest as the route's aggregation makes one: 12 repeats over two pods. */
const digest = digestOf(podEvent('web-1'), {
  count: 12,
  last: podEvent('web-2', {
    message: 'Back-off restarting failed container again',
    at: new Date('2026-01-02T03:09:00Z'),
  }),
});

describe('feishu message bodies', () => {
  it('text: kube-eventer layout after the labels, nothing else in the body', async () => {
    const bot = await startBot({ keywords: ['prod'] });
    const sink = await feishu({ endpoint: bot.url, label: ['prod', 'cluster a'] });
    await sink.write([podEvent('web-1')], ctx());
    expect(lastBody(bot)).toEqual({
      msg_type: 'text',
      content: { text: `prod\ncluster a\n${fieldLines('web-1')}` },
    });
    expect(bot.messages).toHaveLength(1);
  });

  it('post: the event as title, one paragraph per line', async () => {
    const bot = await startBot();
    const sink = await feishu({ endpoint: bot.url, msg_type: 'post', label: ['prod'] });
    await sink.write([podEvent('web-1')], ctx());
    const lines = ['prod', ...fieldLines('web-1').split('\n')];
    expect(lastBody(bot)).toEqual({
      msg_type: 'post',
      content: {
        post: {
          zh_cn: {
            title: 'Warning BackOff Pod shop/web-1',
            content: lines.map((text) => [{ tag: 'text', text }]),
          },
        },
      },
    });
  });

  it('interactive: a red card for a Warning, fields as markdown', async () => {
    const bot = await startBot();
    const sink = await feishu({ endpoint: bot.url, msg_type: 'interactive' });
    await sink.write([podEvent('web-1')], ctx());
    const markdown = fieldLines('web-1').replace(/^(\w+): /gm, '**$1:** ');
    expect(lastBody(bot)).toEqual({
      msg_type: 'interactive',
      card: {
        config: { wide_screen_mode: true },
        header: {
          template: 'red',
          title: { tag: 'plain_text', content: 'Warning BackOff Pod shop/web-1' },
        },
        elements: [{ tag: 'div', text: { tag: 'lark_md', content: markdown } }],
      },
    });
  });

  it('interactive: a blue header for Normal events', async () => {
    const bot = await startBot();
    const sink = await feishu({ endpoint: bot.url, msg_type: 'interactive', level: 'Normal' });
    await sink.write([podEvent('web-1', { type: 'Normal', reason: 'Pulled' })], ctx());
    expect(lastBody(bot).card.header.template).toBe('blue');
  });

  it('signs with timestamp (seconds) and sign in the body, as the fake recomputes them', async () => {
    const bot = await startBot({ secret: 'S3cret' });
    const sink = await feishu({ endpoint: bot.url, sign: 'S3cret' });
    const before = Math.floor(Date.now() / 1000);
    await sink.write([podEvent('web-1')], ctx());
    const { timestamp, sign, msg_type } = lastBody(bot);
    expect(msg_type).toBe('text');
    expect(Number(timestamp)).toBeGreaterThanOrEqual(before);
    expect(Number(timestamp)).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    const expected = createHmac('sha256', `${timestamp}\nS3cret`).update('').digest('base64');
    expect(sign).toBe(expected);
    expect(bot.messages).toHaveLength(1);
  });

  it('a digest is one message with the count, the span and the objects', async () => {
    const bot = await startBot();
    for (const msg_type of ['text', 'post', 'interactive'] as const) {
      const sink = await feishu({ endpoint: bot.url, msg_type });
      await sink.write([digest], ctx());
    }
    expect(bot.requests).toHaveLength(3);
    for (const message of bot.messages) {
      expect(message.text).toContain(
        '12 more times from 2026-01-02T03:04:05.000Z to 2026-01-02T03:09:00.000Z',
      );
      expect(message.text).toContain('Pod shop/web-1, Pod shop/web-2');
      expect(message.text).toContain('Back-off restarting failed container again');
    }
    expect(lastBody(bot).card.header.title.content).toBe('Warning BackOff Pod shop/web-1 (×12)');
  });

  it('a batch of several events is one message', async () => {
    const bot = await startBot();
    const sink = await feishu({ endpoint: bot.url });
    await sink.write([podEvent('web-1'), podEvent('web-2')], ctx());
    expect(bot.messages.map((m) => m.text)).toEqual([
      `${fieldLines('web-1')}\n\n${fieldLines('web-2')}`,
    ]);
  });

  it('JSON-hostile text survives: quotes, backslashes, newlines, control characters, CJK, emoji', async () => {
    const hostile = 'say "hi" \\ C:\\path\n\tnext line \u0001 中文 ✓ 🚀 </script> {"x":1}';
    const bot = await startBot();
    for (const msg_type of ['text', 'post', 'interactive'] as const) {
      const sink = await feishu({ endpoint: bot.url, msg_type });
      await sink.write([podEvent('web-1', { message: hostile })], ctx());
    }
    const [text, post, card] = bot.messages;
    expect(text?.text).toBe(fieldLines('web-1', hostile));
    expect(post?.text).toBe(`Warning BackOff Pod shop/web-1\n${fieldLines('web-1', hostile)}`);
    expect(card?.text).toContain(
      'say "hi" \\ C:\\path\n\tnext line \u0001 中文 ✓ 🚀 &lt;/script&gt; {"x":1}',
    );
  });

  it('event text cannot mention everyone', async () => {
    const bot = await startBot();
    const message = 'ping <at user_id="all">all</at> & <b>';
    const sink = await feishu({ endpoint: bot.url });
    await sink.write([podEvent('web-1', { message })], ctx());
    const card = await feishu({ endpoint: bot.url, msg_type: 'interactive' });
    await card.write([podEvent('web-1', { message })], ctx());
    expect(bot.messages[0]?.text).toContain('ping <\u200bat user_id="all">all<\u200b/at> & <b>');
    expect(bot.messages[1]?.text).toContain(
      'ping &lt;at user_id="all"&gt;all&lt;/at&gt; &amp; &lt;b&gt;',
    );
  });

  it('cuts a message over 20 KB on a UTF-8 boundary, with the marker, for every type', async () => {
    const long = '告警🚀"\\x'.repeat(3000); // ~51 KB of UTF-8, more once JSON-escaped
    const bot = await startBot();
    for (const msg_type of ['text', 'post', 'interactive'] as const) {
      const sink = await feishu({ endpoint: bot.url, msg_type, sign: 'unused-by-the-bot' });
      await sink.write([podEvent('web-1', { message: long })], ctx());
    }
    expect(bot.messages).toHaveLength(3);
    for (const [i, request] of bot.requests.entries()) {
      expect(utf8Length(request.body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
      expect(utf8Length(request.body)).toBeGreaterThan(MAX_BODY_BYTES - 64);
      const text = bot.messages[i]?.text ?? '';
      expect(text.endsWith(TRUNCATED_MARKER.trim())).toBe(true);
      expect(text).not.toContain('\uFFFD');
    }
    const kept = bot.messages[0]?.text.slice(0, -TRUNCATED_MARKER.length) ?? '';
    expect(fieldLines('web-1', long).startsWith(kept)).toBe(true);
  });

  it('applies a template per event, escaped for the card, after the labels', async () => {
    const bot = await startBot();
    const sink = await feishu({
      endpoint: bot.url,
      msg_type: 'interactive',
      label: ['prod'],
      template: '{{ .Reason }} on {{ involvedObject.name }}: {{ .Message }}',
    });
    await sink.write([podEvent('web-1', { message: 'a <b> & c' })], ctx());
    expect(lastBody(bot).card.elements[0].text.content).toBe(
      'prod\nBackOff on web-1: a &lt;b&gt; &amp; c',
    );
  });
});
