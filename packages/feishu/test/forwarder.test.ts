import { createSinkFromUri } from '@keventer/core';
import { buildEvent, FakeFeishuBot, startForwarding, waitFor } from '@keventer/testing';
import { expect, it, onTestFinished } from 'vitest';
import '../src/index.js';

it('forwards from the Kubernetes API through the sink to a signing, keyword-checking bot', async () => {
  const bot = await FakeFeishuBot.start({ secret: 'S3cret', keywords: ['prod'] });
  onTestFinished(() => bot.close());
  const { sink } = await createSinkFromUri(
    `feishu:${bot.url}?sign=S3cret&label=prod&msg_type=interactive`,
  );
  const { api, stop } = await startForwarding([{ sink }], { registerCleanup: onTestFinished });

  const pod = (name: string) => ({ kind: 'Pod', namespace: 'shop', name });
  api.createEvent(
    buildEvent({
      type: 'Warning',
      reason: 'BackOff',
      message: 'restarting "app"',
      involvedObject: pod('web-1'),
    }),
  );
  api.createEvent(buildEvent({ type: 'Normal', reason: 'Pulled', involvedObject: pod('web-1') }));
  api.createEvent(
    buildEvent({
      type: 'Warning',
      reason: 'FailedScheduling',
      message: '0/3 nodes',
      involvedObject: pod('db-0'),
    }),
  );
  await waitFor(() => bot.messages.length === 2, { timeoutMs: 10_000 });
  const report = await stop();

  expect(report.routes.feishu).toMatchObject({ received: 3, filtered: 1, sent: 2 });
  expect(report.undelivered).toBe(0);
  const cards = bot.messages.map((m) => m.card as { header: { title: { content: string } } });
  expect(cards.map((c) => c.header.title.content).sort()).toEqual([
    'Warning BackOff Pod shop/web-1',
    'Warning FailedScheduling Pod shop/db-0',
  ]);
  expect(bot.messages.map((m) => m.text).join('\n')).toContain('**Message:** restarting "app"');
  expect(bot.requests.every((r) => r.status === 200 && r.answer.code === 0)).toBe(true);
});
