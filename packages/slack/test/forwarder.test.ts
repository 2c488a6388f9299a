import { createSinkFromUri } from '@keventer/core';
import { buildEvent, FakeSlackWebhook, startForwarding, waitFor } from '@keventer/testing';
import { expect, it, onTestFinished } from 'vitest';
import '../src/index.js';

it('forwards from the Kubernetes API through the sink to a rate-limited Slack webhook', async () => {
  const hook = await FakeSlackWebhook.start();
  onTestFinished(() => hook.close());
  const { sink } = await createSinkFromUri(`slack:${hook.url}?msg_type=blocks`);
  const { api, stop } = await startForwarding([{ sink }], { registerCleanup: onTestFinished });

  const pod = (name: string) => ({ kind: 'Pod', namespace: 'shop', name });
  api.createEvent(
    buildEvent({
      type: 'Warning',
      reason: 'BackOff',
      message: 'ping <!channel>',
      involvedObject: pod('web-1'),
    }),
  );
  api.createEvent(buildEvent({ type: 'Normal', reason: 'Pulled', involvedObject: pod('web-1') }));
  api.createEvent(
    buildEvent({ type: 'Warning', reason: 'FailedScheduling', involvedObject: pod('db-0') }),
  );
  await waitFor(() => hook.messages.length === 2, { timeoutMs: 10_000 });
  const report = await stop();

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
