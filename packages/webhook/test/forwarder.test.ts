import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createForwarder, createSinkFromUri, EventStream } from '@keventer/core';
import { buildEvent } from '@keventer/testing';
import { expect, it } from 'vitest';
import '../src/index.js';
import { onCleanup, startApiServer, startReceiver, track, until } from './support.js';

it('forwards from the Kubernetes API through the webhook sink to a receiver', async () => {
  const server = await startApiServer();
  server.configMaps.apply('monitoring', 'alert-body', {
    content: '{"text":"{{ .Type }} {{ .Reason }} {{ .InvolvedObject.Name }}: {{ .Message }}"}',
  });
  const receiver = await startReceiver({
    signingSecret: 'whsec-fw',
    requireHeaders: { Authorization: 'Bearer t0k' },
  });
  const dir = await mkdtemp(join(tmpdir(), 'keventer-webhook-'));
  onCleanup(() => rm(dir, { recursive: true, force: true }));
  const kubeconfig = await server.writeKubeconfig(join(dir, 'kubeconfig'));

  const { sink } = await createSinkFromUri(
    `webhook:${receiver.url}/alerts?team=sre&level=Warning&header=Authorization=Bearer%20t0k` +
      `&custom_body_configmap=alert-body&custom_body_configmap_namespace=monitoring` +
      `&kubeconfig=${encodeURIComponent(kubeconfig)}&signing_secret=whsec-fw`,
  );
  track(sink);
  const stream = new EventStream({ kubeConfig: kubeconfig, ack: 'manual' });
  const forwarder = createForwarder({ stream, routes: [{ name: 'webhook', sink }] });
  const running = forwarder.run();
  await until(() => stream.state.phase === 'watching');

  const pod = (name: string) => ({ kind: 'Pod', namespace: 'shop', name });
  server.createEvents([
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
  forwarder.stop();
  const report = await running;

  expect(receiver.requests.map((r) => r.status)).toEqual([200, 200]);
  expect(receiver.accepted.map((r) => [r.path, r.query, r.body])).toEqual([
    ['/alerts', [['team', 'sre']], { text: 'Warning BackOff a: restart "app"' }],
    ['/alerts', [['team', 'sre']], { text: 'Warning Failed c: 镜像拉取失败 🚫' }],
  ]);
  expect(report.routes.webhook).toMatchObject({ received: 3, filtered: 1, sent: 2 });
  expect(report.undelivered).toBe(0);
});
