import { createSinkFromUri } from '@keventer/core';
import { buildEvent, startForwarding } from '@keventer/testing';
import { expect, it } from 'vitest';
import '../src/index.js';
import { onCleanup, startReceiver, track } from './support.js';

it('forwards from the Kubernetes API through the webhook sink to a receiver', async () => {
  const receiver = await startReceiver({
    signingSecret: 'whsec-fw',
    requireHeaders: { Authorization: 'Bearer t0k' },
  });
  const { api, stop } = await startForwarding(
    async (cluster) => {
      cluster.api.configMaps.apply('monitoring', 'alert-body', {
        content: '{"text":"{{ .Type }} {{ .Reason }} {{ .InvolvedObject.Name }}: {{ .Message }}"}',
      });
      const { sink } = await createSinkFromUri(
        `webhook:${receiver.url}/alerts?team=sre&level=Warning&header=Authorization=Bearer%20t0k` +
          `&custom_body_configmap=alert-body&custom_body_configmap_namespace=monitoring` +
          `&kubeconfig=${encodeURIComponent(cluster.kubeConfig)}&signing_secret=whsec-fw`,
      );
      return [{ name: 'webhook', sink: track(sink) }];
    },
    { registerCleanup: onCleanup },
  );

  const pod = (name: string) => ({ kind: 'Pod', namespace: 'shop', name });
  api.createEvents([
    buildEvent({
      type: 'Warning',
      reason: 'BackOff',
      message: 'restart "app"',
      involvedObject: pod('a'),
    }),
    buildEvent({ type: 'Normal', reason: 'Pulled', involvedObject: pod('b') }),
    buildEvent({
      type: 'Warning',
      reason: 'Failed',
      message: '镜像拉取失败 🚫',
      involvedObject: pod('c'),
    }),
  ]);
  await receiver.waitForAccepted(2);
  const report = await stop();

  expect(receiver.requests.map((r) => r.status)).toEqual([200, 200]);
  expect(receiver.accepted.map((r) => [r.path, r.query, r.body])).toEqual([
    ['/alerts', [['team', 'sre']], { text: 'Warning BackOff a: restart "app"' }],
    ['/alerts', [['team', 'sre']], { text: 'Warning Failed c: 镜像拉取失败 🚫' }],
  ]);
  expect(report.routes.webhook).toMatchObject({ received: 3, filtered: 1, sent: 2 });
  expect(report.undelivered).toBe(0);
});
