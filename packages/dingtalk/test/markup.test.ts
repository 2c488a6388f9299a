import { TRUNCATED_MARKER, utf8Length } from '@keventer/core/kit';
import { describe, expect, it } from 'vitest';
import { dingtalk, MAX_BODY_BYTES } from '../src/index.js';
import { fakeDingTalk, warning, write } from './helpers.js';

const TOKEN = 'markup-token-5e1d';
const HOSTILE =
  'see [the runbook](https://evil.example/x) ![](https://evil.example/p.png) <font color="#00ff00">all good</font> <@U123> <a href="https://evil.example">ok</a>';

async function setup(options: Record<string, unknown> = {}) {
  const ding = await fakeDingTalk({ token: TOKEN, keywords: ['[prod]'] });
  const sink = await dingtalk({
    endpoint: ding.url,
    access_token: TOKEN,
    label: ['[prod] <font color="#ff0000">cluster</font>'],
    ...options,
  });
  return { ding, sink };
}

// What a markdown renderer would read as a tag, a link or an image.
const MARKUP = /<[A-Za-z@/]|\]\(|\]\[/;

describe('dingtalk markdown: event text cannot recolour, mention or inject links', () => {
  it('mutes tags and links in every event value and the heading; the labels keep theirs', async () => {
    const { ding, sink } = await setup({ msg_type: 'markdown' });
    await write(sink, [warning({ message: HOSTILE, reason: '<font>Boom</font>' })]);
    const text = ding.messages[0]?.content ?? '';
    const [labels, ...rest] = text.split('\n\n');
    expect(labels).toBe('[prod] <font color="#ff0000">cluster</font>');
    for (const paragraph of rest) expect(paragraph).not.toMatch(MARKUP);
    // Only zero-width spaces were added: the text reads the same.
    expect(text.replaceAll('\u200b', '')).toContain(`**Message:** ${HOSTILE}`);
  });

  it('mutes template values in markdown, not the template itself', async () => {
    const { ding, sink } = await setup({
      msg_type: 'markdown',
      template:
        '**{{ .Reason }}** [runbook](https://runbooks.example/{{ .Reason }}): {{ .Message }}',
    });
    await write(sink, [warning({ message: HOSTILE })]);
    const text = ding.messages[0]?.content ?? '';
    expect(text).toContain('**BackOff** [runbook](https://runbooks.example/BackOff): ');
    expect(text.split('): ')[1]).not.toMatch(MARKUP);
  });

  it('keeps text messages as they are: DingTalk reads no markup in them', async () => {
    const { ding, sink } = await setup();
    await write(sink, [warning({ message: HOSTILE })]);
    expect(ding.messages[0]?.content).toContain(`Message: ${HOSTILE}`);
  });

  it('keeps quotes, CJK and emoji intact in markdown', async () => {
    const { ding, sink } = await setup({ msg_type: 'markdown' });
    const message = 'say "hi" \\ 中文 🚀 👍🏽 a < b > c [x] (y)';
    await write(sink, [warning({ message })]);
    expect(ding.messages[0]?.content).toContain(`**Message:** ${message}`);
  });
});

describe('dingtalk templates render within the body limit', () => {
  it('sixty {{ .Message }} of a 5 MiB message: cut to the limit, marked, quickly', async () => {
    const { ding, sink } = await setup({ template: '{{ .Message }}\n'.repeat(60) });
    const started = performance.now();
    await write(sink, [warning({ message: 'm'.repeat(5 << 20) })]);
    expect(performance.now() - started).toBeLessThan(2000);
    const body = ding.requests[0]?.body ?? '';
    expect(utf8Length(body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(ding.messages[0]?.content.endsWith(TRUNCATED_MARKER)).toBe(true);
  });
});
