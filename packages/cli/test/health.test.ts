import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeKubeApiServer } from '@keventer/testing';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, startCli, waitForForwarding, waitForStatus } from './support/run-cli.js';

const defer = cleanupAfterEach();

describe('/healthz and /readyz', () => {
  it('tell the truth: refused credentials are unhealthy and not ready at once (kube-eventer said ok)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keventer-health-'));
    const api = await FakeKubeApiServer.start({ token: 'right-token' });
    defer(() => api.close());
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, api.kubeconfig().replace('right-token', 'revoked-token'));
    const cli = startCli([
      `--source=kubernetes:?inClusterConfig=false&auth=${kubeconfig}`,
      '--sink=log',
      '--healthz-ip=127.0.0.1',
      '--healthz-port=0',
    ]);
    defer(() => cli.kill());
    const url = await cli.healthzUrl(60_000);
    await waitForStatus(`${url}/healthz`, 503, 60_000);
    const live = (await (await fetch(`${url}/healthz`)).json()) as { problems: string[] };
    expect(live.problems.join('\n')).toMatch(/401/);
    expect(live.problems.join('\n')).not.toContain('revoked-token');
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    expect((await fetch(`${url}/metrics`)).status).toBe(200);
    expect((await fetch(`${url}/nothing`)).status).toBe(404);

    // The same process with a good token is live and ready.
    const good = startCli([
      `--source=kubernetes:?inClusterConfig=false&auth=${await api.writeKubeconfig(join(dir, 'good'))}`,
      '--sink=log',
      '--healthz-ip=127.0.0.1',
      '--healthz-port=0',
    ]);
    defer(() => good.kill());
    const goodUrl = await good.healthzUrl(60_000);
    await waitForForwarding(goodUrl);
    expect((await fetch(`${goodUrl}/healthz`)).status).toBe(200);
  }, 150_000);
});
