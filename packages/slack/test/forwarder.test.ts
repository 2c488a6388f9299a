import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createForwarder, createSinkFromUri, EventStream } from '@keventer/core';
import { buildEvent, FakeKubeApiServer, FakeSlackWebhook } from '@keventer/testing';
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

it('forwards from the Kubernetes API through the sink to a rate-limited Slack webhook', async () => {
  const server = await FakeKubeApiServer.start();
  const hook = await FakeSlackWebhook.start();
  const dir = await mkdtemp(join(tmpdir(), 'keventer-slack-'));
  cleanups.push(
    () => server.close(),
    () => hook.close(),
    () => rm(dir, { recursive: true, force: true }),
  );
  const stream = new EventStream({
    kubeConfig: await server.writeKubeconfig(join(dir, 'kubeconfig')),
    ack: 'manual',
  });
  const { sink } = await createSinkFromUri(`slack:${hook.url}?msg_type=blocks`);
  const forwarder = createForwarder({ stream, routes: [{ sink }] });
  const running = forwarder.run();
  await until(() => stream.state.phase === 'watching');

  const pod = (name: string) => ({ kind: 'Pod', namespace: 'shop', name });
  server.createEvent(
    buildEvent({
      type: 'Warning',
      reason: 'BackOff',
      message: 'ping <!channel>',
      involvedObject: pod('web-1'),
    }),
  );
  server.createEvent(
    buildEvent({ type: 'Normal', reason: 'Pulled', involvedObject: pod('web-1') }),
  );
  server.createEvent(
    buildEvent({ type: 'Warning', reason: 'FailedScheduling', involvedObject: pod('db-0') }),
  );
  await until(() => hook.messages.length === 2);
  forwarder.stop();
  const report = await running;

  expect(report.routes.slack).toMatchObject({ received: 3, filtered: 1, sent: 2 });
  expect(report.undelivered).toBe(0);
  expect(hook.messages.map((m) => m.text).sort()).toEqual([
    'Warning BackOff Pod shop/web-1',
    'Warning FailedScheduling Pod shop/db-0',
  ]);
  expect(JSON.stringify(hook.messages)).toContain('ping &lt;!channel&gt;');
  // Each event once, whether or not the webhook asked it to slow down (429s are retried).
  expect(hook.requests.filter((r) => r.status === 200)).toHaveLength(2);
  expect(hook.requests.every((r) => r.status === 200 || r.status === 429)).toBe(true);
});
