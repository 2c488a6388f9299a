import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEvent, FakeKubeApiServer, FakeWebhookReceiver, waitFor } from '@keventer/testing';
import { describe, expect, it } from 'vitest';
import {
  cleanupAfterEach,
  startCli,
  waitForForwarding,
  waitForMetrics,
} from './support/run-cli.js';

const defer = cleanupAfterEach();

describe('a config file', () => {
  it('runs its routes: a sink given as options with a filter and a cooldown, next to a --sink', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keventer-routes-'));
    const api = await FakeKubeApiServer.start({ token: 'kube-token' });
    defer(() => api.close());
    const kubeconfig = await api.writeKubeconfig(join(dir, 'kubeconfig'));
    const hook = await FakeWebhookReceiver.start();
    defer(() => hook.close());
    const config = join(dir, 'keventer.yaml');
    writeFileSync(
      config,
      `source:
  kubeconfig: ${kubeconfig}
routes:
  - name: prod-alerts
    sink:
      type: webhook
      options: { endpoint: '${hook.url}/prod', body_format: json_array }
    filter: { level: Warning, namespaces: ['prod-*'] }
    dedup: { mode: cooldown, windowMs: 10m }
    delivery: { batch: { maxEvents: 10, timeoutMs: 200ms } }
log: { format: json, level: debug }
`,
    );
    const cli = startCli([
      '--config',
      config,
      `--sink=webhook:${hook.url}/all?method=POST`,
      '--healthz-ip=127.0.0.1',
      '--healthz-port=0',
    ]);
    defer(() => cli.kill());
    const url = await cli.healthzUrl(60_000);
    await waitForForwarding(url);

    const event = (namespace: string, name: string, type = 'Warning') =>
      buildEvent({
        type,
        reason: 'BackOff',
        message: `Back-off in ${name}`,
        involvedObject: { kind: 'Pod', namespace, name },
      });
    const first = api.createEvent(event('prod-eu', 'api-1'));
    api.createEvent(event('dev', 'api-2'));
    api.createEvent(event('prod-us', 'api-3', 'Normal'));
    await waitFor(() => hook.requests.filter((r) => r.path === '/all').length >= 3, {
      timeoutMs: 30_000,
    });
    // Within the cooldown window the repeat of api-1 goes to /all only.
    api.recurEvent(first.metadata?.namespace as string, first.metadata?.name as string);
    await waitFor(() => hook.requests.filter((r) => r.path === '/all').length >= 4, {
      timeoutMs: 30_000,
    });

    // The prod route is done with both: api-1 sent, its repeat deduplicated (counted after the answer).
    const done = [
      /keventer_events_sent_total\{route="prod-alerts",sink="webhook"\} 1\n/,
      /keventer_events_deduplicated_total\{route="prod-alerts",sink="webhook"\} 1\n/,
    ];
    await waitForMetrics(url, done);
    const prod = hook.requests.filter((r) => r.path === '/prod');
    expect(prod.flatMap((r) => r.events.map((e) => JSON.stringify(e)))).toHaveLength(1);
    expect(JSON.stringify(prod[0]?.body)).toContain('api-1');
    expect(cli.stdout()).toMatch(/"level":"debug"/); // log.level from the file
    const said = cli.stdout();
    expect(said).toMatch(/"msg":"route started","route":"prod-alerts"/);
  }, 150_000);
});
