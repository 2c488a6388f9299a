// The webhook sink in a forwarder over a real kube-apiserver: events created
// through the Kubernetes API, the body template read from a real ConfigMap
// (kube-eventer's custom_body_configmap) and re-read when it changes.

import { createSinkFromUri } from '@keventer/core';
import { FakeWebhookReceiver, waitFor } from '@keventer/testing';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createEvent,
  ensureNamespace,
  kubeconfigPath,
  recurEvent,
  startForwarder,
} from '../../integration/e2e/support.js';
import '../src/index.js';

const namespace = 'e2e-webhook';
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function coreApi(): CoreV1Api {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return kc.makeApiClient(CoreV1Api);
}

describe('the webhook sink over a real kube-apiserver', () => {
  beforeAll(() => ensureNamespace(namespace));

  it("renders the webhook body from a ConfigMap's Go-style template, and follows its updates", async () => {
    const api = coreApi();
    const name = `webhook-body-${Date.now().toString(16)}`;
    const template = (version: string) =>
      `{"v":"${version}","kind":"{{ .InvolvedObject.Kind }}","name":"{{ .InvolvedObject.Name }}","reason":"{{ .Reason }}","message":"{{ .Message }}","count":{{ .Count }}}`;
    await api.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name, namespace }, data: { content: template('1') } },
    });
    cleanups.push(() => api.deleteNamespacedConfigMap({ name, namespace }));
    const receiver = await FakeWebhookReceiver.start();
    cleanups.push(() => receiver.close());
    const { sink } = await createSinkFromUri(
      `webhook:${receiver.url}/hook?custom_body_configmap=${name}&custom_body_configmap_namespace=${namespace}&custom_body_refresh=200ms&kubeconfig=${encodeURIComponent(kubeconfigPath)}`,
    );
    const { stop } = await startForwarder(namespace, [{ sink }]);
    cleanups.push(stop);

    const event = await createEvent(namespace, 'web-1');
    await waitFor(() => receiver.accepted.length === 1, { timeoutMs: 10_000 });
    expect(receiver.accepted[0]?.body).toEqual({
      v: '1',
      kind: 'Pod',
      name: 'web-1',
      reason: 'BackOff',
      message: 'Back-off restarting failed container app in pod web-1',
      count: 1,
    });

    await api.replaceNamespacedConfigMap({
      name,
      namespace,
      body: { metadata: { name, namespace }, data: { content: template('2') } },
    });
    await new Promise((resolve) => setTimeout(resolve, 1000)); // a few refreshes
    await recurEvent(event, new Date(Date.now() + 1000));
    await waitFor(() => receiver.accepted.length === 2, { timeoutMs: 10_000 });
    expect(receiver.accepted[1]?.body).toMatchObject({ v: '2', name: 'web-1', count: 2 });
  }, 60_000);
});
