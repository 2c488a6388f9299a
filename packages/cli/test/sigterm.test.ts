import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEvent, FakeKubeApiServer, FakeWebhookReceiver, waitFor } from '@keventer/testing';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, startCli, waitForForwarding } from './support/run-cli.js';

const defer = cleanupAfterEach();

const warning = (name: string) =>
  buildEvent({
    type: 'Warning',
    reason: 'BackOff',
    message: `Back-off in ${name}`,
    involvedObject: { kind: 'Pod', namespace: 'shop', name },
  });

describe('SIGTERM', () => {
  it('drains what is still being retried, saves the checkpoint, exits 0; the next start resumes from it without a duplicate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keventer-sigterm-'));
    const api = await FakeKubeApiServer.start({ token: 'kube-token' });
    defer(() => api.close());
    const kubeconfig = await api.writeKubeconfig(join(dir, 'kubeconfig'));
    const hook = await FakeWebhookReceiver.start();
    defer(() => hook.close());
    const checkpoint = join(dir, 'state', 'checkpoint.json');
    const args = [
      // kube-eventer's auth= form: a kubeconfig file, its current context.
      `--source=kubernetes:?inClusterConfig=false&auth=${kubeconfig}`,
      `--sink=webhook:${hook.url}/events?method=POST&level=Warning`,
      `--checkpoint-file=${checkpoint}`,
      '--drain-timeout=30s',
      '--healthz-ip=127.0.0.1',
      '--healthz-port=0',
    ];
    const first = startCli(args);
    defer(() => first.kill());
    await waitForForwarding(await first.healthzUrl(60_000));

    hook.failNext({ status: 503 }, 3);
    const a = api.createEvent(warning('cart-1'));
    await waitFor(() => hook.requests.length >= 1, { timeoutMs: 30_000 });
    expect(hook.requests[0]?.status).toBe(503);
    first.child.kill('SIGTERM'); // while the event is waiting for its retry

    expect(await first.exited).toBe(0);
    const delivered = hook.requests.filter((r) => r.status < 300);
    expect(delivered).toHaveLength(1);
    expect(JSON.stringify(delivered[0]?.body)).toContain('cart-1');
    expect(first.stdout()).toMatch(/stopping: delivering what is buffered/);
    expect(first.stdout()).toMatch(/"msg":"forwarder stopped".*"sent":1,.*"undelivered":0}/);
    const saved = JSON.parse(readFileSync(checkpoint, 'utf8')) as { resourceVersion: string };
    expect(Number(saved.resourceVersion)).toBeGreaterThanOrEqual(
      Number(a.metadata?.resourceVersion),
    );

    // Down for a while: an event occurs, then keventer starts again from its checkpoint.
    api.createEvent(warning('cart-2'));
    const second = startCli(args);
    defer(() => second.kill());
    await waitFor(() => hook.requests.filter((r) => r.status < 300).length >= 2, {
      timeoutMs: 60_000,
    });
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    const bodies = hook.requests.filter((r) => r.status < 300).map((r) => JSON.stringify(r.body));
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toContain('cart-2'); // missed while down, not lost
    expect(bodies.filter((b) => b.includes('cart-1'))).toHaveLength(1); // not sent again
  }, 180_000);
});
