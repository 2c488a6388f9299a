import { FakeWebhookReceiver, waitFor } from '@keventer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEvent,
  ensureNamespace,
  kubeconfigPath,
  recurEvent,
} from '../../integration/e2e/support.js';
import { startCli, waitForForwarding, waitForMetrics } from '../test/support/run-cli.js';

const namespace = 'e2e-cli';
let hook: FakeWebhookReceiver;

beforeAll(async () => {
  await ensureNamespace(namespace);
  hook = await FakeWebhookReceiver.start();
});
afterAll(() => hook.close());

describe('the keventer bin on the real kube-apiserver', () => {
  it('a kube-eventer command line (auth= kubeconfig) forwards events created through the API, each occurrence once, and SIGTERM exits 0', async () => {
    const cli = startCli([
      `--source=kubernetes:?inClusterConfig=false&auth=${kubeconfigPath}`,
      `--sink=webhook:${hook.url}/events?method=POST&level=Warning&namespaces=${namespace}`,
      '--healthz-ip=127.0.0.1',
      '--healthz-port=0',
    ]);
    try {
      const url = await cli.healthzUrl(60_000);
      await waitForForwarding(url);

      const created = [];
      for (let i = 0; i < 5; i++) created.push(await createEvent(namespace, `cli-pod-${i}`));
      // A recurrence (count 2) is a new occurrence; kube-eventer sent every update, keventer each occurrence once.
      await recurEvent(created[0] as (typeof created)[number]);
      await waitFor(() => hook.requests.length >= 6, {
        timeoutMs: 30_000,
        what: () => `${hook.requests.length} requests`,
      });
      const names = hook.requests.map((r) => JSON.stringify(r.body));
      for (let i = 0; i < 5; i++) {
        expect(names.filter((n) => n.includes(`cli-pod-${i}`))).toHaveLength(i === 0 ? 2 : 1);
      }
      await waitForMetrics(url, [
        /keventer_events_sent_total\{route="webhook",sink="webhook"\} 6\n/,
      ]);
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect(await cli.exited).toBe(0);
  }, 120_000);
});
