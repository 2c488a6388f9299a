import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createForwarder, createSinkFromUri, EventStream } from '@keventer/core';
import { buildEvent, FakeFeishuBot, FakeKubeApiServer } from '@keventer/testing';
import { afterEach, expect, it } from 'vitest';
import '../src/index.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

it('forwards from the Kubernetes API through the sink to a signing, keyword-checking bot', async () => {
  const server = await FakeKubeApiServer.start();
  const bot = await FakeFeishuBot.start({ secret: 'S3cret', keywords: ['prod'] });
  const dir = await mkdtemp(join(tmpdir(), 'keventer-feishu-'));
  cleanups.push(
    () => server.close(),
    () => bot.close(),
    () => rm(dir, { recursive: true, force: true }),
  );
  const stream = new EventStream({
    kubeConfig: await server.writeKubeconfig(join(dir, 'kubeconfig')),
    ack: 'manual',
  });
  const { sink } = await createSinkFromUri(
    `feishu:${bot.url}?sign=S3cret&label=prod&msg_type=interactive`,
  );
  const forwarder = createForwarder({ stream, routes: [{ sink }] });
  const running = forwarder.run();
  await until(() => stream.state.phase === 'watching');

  const pod = (name: string) => ({ kind: 'Pod', namespace: 'shop', name });
  server.createEvent(
    buildEvent({
      type: 'Warning',
      reason: 'BackOff',
      message: 'restarting "app"',
      involvedObject: pod('web-1'),
    }),
  );
  server.createEvent(
    buildEvent({ type: 'Normal', reason: 'Pulled', involvedObject: pod('web-1') }),
  );
  server.createEvent(
    buildEvent({
      type: 'Warning',
      reason: 'FailedScheduling',
      message: '0/3 nodes',
      involvedObject: pod('db-0'),
    }),
  );
  await until(() => bot.messages.length === 2);
  forwarder.stop();
  const report = await running;

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
