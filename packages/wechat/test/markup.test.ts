import { TRUNCATED_MARKER } from '@keventer/core/kit';
import { describe, expect, it } from 'vitest';
import { wechat } from '../src/index.js';
import { backOff, startFake, write } from './support.js';

const HOSTILE =
  'see [the runbook](https://evil.example/x) <font color="info">all good</font> <@zhangsan> <a href="https://evil.example">ok</a>';
// What WeCom reads as a tag (<font>, <@userid>, <a href>) or a markdown link.
const TAG = /<[A-Za-z@/]/;
const LINK = /\]\(/;

const app = (fake: { url: string }, extra: Record<string, unknown> = {}) =>
  wechat({
    corp_id: 'ww-corp',
    corp_secret: 's3cret',
    agent_id: 1000002,
    api_base: fake.url,
    ...extra,
  });
const startApp = () => startFake({ corpId: 'ww-corp', corpSecret: 's3cret' });

describe('wechat: event text cannot mention, recolour or inject links', () => {
  it('robot markdown: tags and links in values are muted; the level colour and labels stay', async () => {
    const fake = await startFake();
    const sink = await wechat({
      endpoint: fake.robotUrl(),
      msg_type: 'markdown',
      label: ['<font color="warning">prod</font>'],
    });
    await write(sink, backOff(HOSTILE));
    const content = fake.robotMessages[0]?.content ?? '';
    const [label, ...lines] = content.split('\n');
    expect(label).toBe('<font color="warning">prod</font>');
    expect(lines[0]).toBe('**Level:** <font color="warning">Warning</font>');
    const message = lines.find((line) => line.startsWith('**Message:**')) ?? '';
    expect(message).not.toMatch(TAG);
    expect(message).not.toMatch(LINK);
    expect(message.replaceAll('\u200b', '')).toBe(`**Message:** ${HOSTILE}`);
  });

  it('robot markdown template: values muted, the template markup kept', async () => {
    const fake = await startFake();
    const sink = await wechat({
      endpoint: fake.robotUrl(),
      msg_type: 'markdown',
      template:
        '<font color="warning">{{ .Reason }}</font> [pod](https://console.example/{{ .InvolvedObject.Name }}) {{ .Message }}',
    });
    await write(sink, backOff(HOSTILE));
    const content = fake.robotMessages[0]?.content ?? '';
    const [own, values] = content.split('/web-1) ');
    expect(own).toBe('<font color="warning">BackOff</font> [pod](https://console.example');
    expect(values).not.toMatch(TAG);
    expect(values).not.toMatch(LINK);
  });

  it('application text: tags muted (it reads <a href>)', async () => {
    const fake = await startApp();
    await write(await app(fake), backOff(HOSTILE));
    const content = fake.appMessages[0]?.content ?? '';
    expect(content).not.toMatch(TAG);
    expect(content.replaceAll('\u200b', '')).toContain(`Message: ${HOSTILE}`);
  });

  it('application text template: values muted', async () => {
    const fake = await startApp();
    await write(
      await app(fake, { template: '<a href="https://x.example">{{ .Message }}</a>' }),
      backOff(HOSTILE),
    );
    const content = fake.appMessages[0]?.content ?? '';
    expect(content.startsWith('<a href="https://x.example">')).toBe(true);
    expect(content.slice(1, -4)).not.toMatch(TAG);
  });

  it('robot text stays as sent (it reads no markup), quotes, CJK and emoji included', async () => {
    const fake = await startFake();
    const message = `${HOSTILE} say "hi" 中文 👍🏽`;
    await write(await wechat({ endpoint: fake.robotUrl() }), backOff(message));
    expect(fake.robotMessages[0]?.content.endsWith(`Message: ${message}`)).toBe(true);
  });
});

describe('wechat templates render within the content limit', () => {
  it('sixty {{ .Message }} of a 5 MiB message: cut to 2048 bytes, marked, quickly', async () => {
    const fake = await startFake();
    const sink = await wechat({ endpoint: fake.robotUrl(), template: '{{ .Message }}'.repeat(60) });
    const started = performance.now();
    await write(sink, backOff('m'.repeat(5 << 20)));
    expect(performance.now() - started).toBeLessThan(2000);
    const content = fake.robotMessages[0]?.content ?? '';
    expect(Buffer.byteLength(content)).toBe(2048);
    expect(content.endsWith(TRUNCATED_MARKER)).toBe(true);
  });
});
