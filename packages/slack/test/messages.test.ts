import { TRUNCATED_MARKER } from '@keventer/core/kit';
import { digestOf, FakeSlackWebhook, podEvent } from '@keventer/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { LIMITS, slack } from '../src/index.js';
import { ctx, fieldLines } from './support.js';

const hooks: FakeSlackWebhook[] = [];
afterEach(async () => {
  for (const hook of hooks.splice(0)) await hook.close();
});
// No rate limit here: these tests are about bodies.
async function startHook() {
  const hook = await FakeSlackWebhook.start({ rateLimit: { max: 1000 } });
  hooks.push(hook);
  return hook;
}
const lastBody = (hook: FakeSlackWebhook) => JSON.parse(hook.requests.at(-1)?.body ?? 'null');
/** The text of message `i`'s first section (after its header). */
const sectionText = (hook: FakeSlackWebhook, i: number) =>
  (hook.messages[i]?.blocks?.[1] as { text?: { text?: string } } | undefined)?.text?.text ?? '';
const bold = (lines: string) => lines.replace(/^([\w ]+): /gm, '*$1:* ');
const hasLoneSurrogate = (text: string) =>
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

/** A digest as the route's aggregation makes one: 12 repeats over two pods. */
const digest = digestOf(podEvent('web-1'), {
  count: 12,
  last: podEvent('web-2', {
    message: 'Back-off restarting failed container again',
    at: new Date('2026-01-02T03:09:00Z'),
  }),
});

describe('slack message bodies', () => {
  it('text: kube-eventer layout after the labels', async () => {
    const hook = await startHook();
    const sink = await slack({ endpoint: hook.url, label: ['prod', '<!here>'] });
    await sink.write([podEvent('web-1')], ctx());
    expect(lastBody(hook)).toEqual({ text: `prod\n<!here>\n${fieldLines('web-1')}` });
    expect(hook.requests[0]?.status).toBe(200);
  });

  it('blocks: a header, the labels as context, a section of mrkdwn fields, text as fallback', async () => {
    const hook = await startHook();
    const sink = await slack({ endpoint: hook.url, msg_type: 'blocks', label: ['prod'] });
    await sink.write([podEvent('web-1')], ctx());
    expect(lastBody(hook)).toEqual({
      text: 'Warning BackOff Pod shop/web-1',
      blocks: [
        {
          type: 'header',
          text: { type: 'plain_text', text: 'Warning BackOff Pod shop/web-1', emoji: true },
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'prod' }] },
        { type: 'section', text: { type: 'mrkdwn', text: bold(fieldLines('web-1')) } },
      ],
    });
    expect(hook.messages).toHaveLength(1);
  });

  it('escapes &, < and > in event text so it cannot mention or link', async () => {
    const hook = await startHook();
    const message = 'hey <!channel> <@U024BE7LH> & <https://evil.example|click>';
    const escaped =
      'hey &lt;!channel&gt; &lt;@U024BE7LH&gt; &amp; &lt;https://evil.example|click&gt;';
    for (const msg_type of ['text', 'blocks'] as const) {
      const sink = await slack({ endpoint: hook.url, msg_type });
      await sink.write([podEvent('web-1', { message })], ctx());
    }
    expect(hook.messages[0]?.text).toBe(fieldLines('web-1', escaped));
    expect(JSON.stringify(hook.messages[1]?.blocks)).toContain(
      JSON.stringify(escaped).slice(1, -1),
    );
    expect(JSON.stringify(hook.messages)).not.toContain('<!channel>');
  });

  it('a digest is one message with the count, the span and the objects', async () => {
    const hook = await startHook();
    for (const msg_type of ['text', 'blocks'] as const) {
      await (await slack({ endpoint: hook.url, msg_type })).write([digest], ctx());
    }
    expect(hook.requests).toHaveLength(2);
    for (const message of hook.messages) {
      const shown = JSON.stringify(message.body);
      expect(shown).toContain(
        '12 more times from 2026-01-02T03:04:05.000Z to 2026-01-02T03:09:00.000Z',
      );
      expect(shown).toContain('Pod shop/web-1, Pod shop/web-2');
    }
    expect(hook.messages[1]?.text).toBe('Warning BackOff Pod shop/web-1 (×12)');
  });

  it('JSON-hostile text survives: quotes, backslashes, newlines, control characters, CJK, emoji', async () => {
    const hostile = 'say "hi" \\ C:\\path\n\tnext line \u0001 中文 ✓ 🚀 {"x":1}';
    const hook = await startHook();
    await (await slack({ endpoint: hook.url })).write(
      [podEvent('web-1', { message: hostile })],
      ctx(),
    );
    expect(hook.messages[0]?.text).toBe(fieldLines('web-1', hostile));
  });

  it('cuts text at 40,000 characters and a section at 3,000, never inside an emoji', async () => {
    const long = `${'x'.repeat(2990)}${'🚀'.repeat(30000)}`;
    const hook = await startHook();
    for (const msg_type of ['text', 'blocks'] as const) {
      await (await slack({ endpoint: hook.url, msg_type })).write(
        [podEvent('web-1', { message: long })],
        ctx(),
      );
    }
    expect(hook.messages).toHaveLength(2); // the fake refuses a section over 3,000 characters
    const text = hook.messages[0]?.text ?? '';
    expect(text.length).toBeLessThanOrEqual(LIMITS.textChars);
    expect(text.length).toBeGreaterThan(LIMITS.textChars - 2 - TRUNCATED_MARKER.length);
    expect(text.endsWith(TRUNCATED_MARKER)).toBe(true);
    expect(fieldLines('web-1', long).startsWith(text.slice(0, -TRUNCATED_MARKER.length))).toBe(
      true,
    );
    const section = sectionText(hook, 1);
    expect(section.length).toBeLessThanOrEqual(LIMITS.sectionChars);
    expect(section.endsWith(TRUNCATED_MARKER)).toBe(true);
    for (const cut of [text, section]) expect(hasLoneSurrogate(cut)).toBe(false);
  });

  it('never cuts inside an escape', async () => {
    const hook = await startHook();
    const sink = await slack({ endpoint: hook.url, msg_type: 'blocks' });
    await sink.write([podEvent('web-1', { message: '<'.repeat(1000) })], ctx());
    const section = sectionText(hook, 0);
    expect(section).toMatch(/(&lt;)+\n…\(truncated\)$/);
  });

  it('a batch is one message; past 50 blocks the last block says how many were left out', async () => {
    const hook = await startHook();
    const sink = await slack({ endpoint: hook.url, msg_type: 'blocks', label: ['prod'] });
    const batch = Array.from({ length: 30 }, (_, i) => podEvent(`web-${i}`));
    await sink.write(batch, ctx());
    const blocks = hook.messages[0]?.blocks ?? [];
    expect(blocks).toHaveLength(LIMITS.blocks);
    expect(blocks.filter((b) => b.type === 'section')).toHaveLength(24);
    expect(blocks.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '…(truncated): 6 more events not shown' }],
    });
    expect(hook.messages[0]?.text).toBe('Warning BackOff Pod shop/web-0 and 29 more');
  });

  it('applies a template per event, escaped for mrkdwn, after the labels', async () => {
    const hook = await startHook();
    const sink = await slack({
      endpoint: hook.url,
      label: ['prod'],
      template: '{{ .Reason }} on {{ involvedObject.name }}: {{ .Message }}',
    });
    await sink.write([podEvent('web-1', { message: 'a <b> & c' })], ctx());
    expect(hook.messages[0]?.text).toBe('prod\nBackOff on web-1: a &lt;b&gt; &amp; c');
  });
});
