import { createSinkFromUri } from '@keventer/core';
import { SinkConfigError } from '@keventer/core/kit';
import { FakeFeishuBot, podEvent } from '@keventer/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { feishu } from '../src/index.js';
import { ctx } from './support.js';

const TOKEN = 'c0ffee00-token-in-path';
const HOOK = `https://open.feishu.cn/open-apis/bot/v2/hook/${TOKEN}`;

const bots: FakeFeishuBot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.close();
});

async function configError(uri: string): Promise<SinkConfigError> {
  const error = await createSinkFromUri(uri).then(
    () => expect.unreachable('the URI should have been refused'),
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(SinkConfigError);
  return error as SinkConfigError;
}

describe('feishu URIs', () => {
  it('takes the kube-eventer form, with Lark hosts and delivery settings', async () => {
    const { sink, definition, delivery } = await createSinkFromUri(
      `feishu:${HOOK}?sign=S&msg_type=interactive&level=Warning&label=prod&request.rateLimitNum=3`,
    );
    expect(definition).toBe(feishu);
    expect(sink.name).toBe('feishu');
    expect(delivery).toEqual({ 'request.rateLimitNum': '3' });
    expect(sink.delivery?.defaults?.request).toMatchObject({
      rateLimitNum: 5,
      rateLimitDurationMs: 3200,
      concurrency: 1,
    });
    await createSinkFromUri('feishu:https://open.larksuite.com/open-apis/bot/v2/hook/abc');
  });

  it('sends what the URI says: signed, as post, labels first', async () => {
    const bot = await FakeFeishuBot.start({ secret: 'S3', keywords: ['prod'] });
    bots.push(bot);
    const { sink } = await createSinkFromUri(
      `feishu:${bot.url}?sign=S3&msg_type=post&label=prod&label=team+a`,
    );
    await sink.write([podEvent('web-1')], ctx());
    expect(bot.messages[0]?.msgType).toBe('post');
    expect(bot.messages[0]?.text).toMatch(/^Warning BackOff Pod shop\/web-1\nprod\nteam a\nLevel/);
  });

  it('filters with level, namespaces and kinds as kube-eventer does', async () => {
    const warning = podEvent('w');
    const normal = podEvent('n', { type: 'Normal' });
    const { sink: byDefault } = await createSinkFromUri(`feishu:${HOOK}`);
    expect([byDefault.filter?.(warning), byDefault.filter?.(normal)]).toEqual([true, false]);
    const { sink: all } = await createSinkFromUri(`feishu:${HOOK}?level=Normal`);
    expect([all.filter?.(warning), all.filter?.(normal)]).toEqual([true, true]);
    const { sink: other } = await createSinkFromUri(`feishu:${HOOK}?namespaces=kube-system`);
    expect(other.filter?.(warning)).toBe(false);
    const { sink: pods } = await createSinkFromUri(`feishu:${HOOK}?kinds=Node,Pod`);
    expect(pods.filter?.(warning)).toBe(true);
  });

  it('refuses an unknown option, naming it, with the hook token hidden', async () => {
    const error = await configError(`feishu:${HOOK}?sign=S&levl=Normal`);
    expect(error.message).toContain("unknown option 'levl' (did you mean 'level'?)");
    expect(error.message).toContain(
      "in 'feishu:https://open.feishu.cn/open-apis/bot/v2/hook/***?sign=***&levl=***'",
    );
    expect(`${error.message}${String(error.stack)}`).not.toContain(TOKEN);
  });

  it('refuses bad values and a bad template at startup, with the token hidden', async () => {
    const values = await configError(`feishu:${HOOK}?msg_type=card&level=warning`);
    expect(values.problems).toHaveLength(2);
    expect(values.message).toMatch(/msg_type.*'card'/);
    expect(values.message).toMatch(/did you mean 'Warning'/);
    const template = await configError(`feishu:${HOOK}?template={{ .Reason | upper }}`);
    expect(template.message).toMatch(/template.*not a field reference/);
    for (const error of [values, template]) expect(error.message).not.toContain(TOKEN);
    const missing = await configError('feishu:?sign=S');
    expect(missing.message).toContain("missing required option 'endpoint'");
  });
});
