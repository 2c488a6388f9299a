// The in-cluster path on a real kube-apiserver: a service-account folder (token
// and ca.crt) instead of a kubeconfig, and a token the kubelet rotates while the
// forwarder runs. The folder starts with a token RBAC denies; once the stream
// has been refused, the file is replaced with a token that may watch events, and
// the stream must pick it up without a restart and deliver what follows.

import { copyFileSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createForwarder, EventStream, inClusterConfig, type Sink } from '../src/index.js';

const state = process.env.KEVENTER_E2E_STATE;
if (!state)
  throw new Error('KEVENTER_E2E_STATE is not set: run the e2e tier through scripts/e2e.sh');
const apiserver = readFileSync(join(state, 'kubeconfig'), 'utf8').match(/server: (\S+)/)?.[1];

/** tokens.csv: `<token>,<user>,...`; keventer-e2e may do anything, keventer-denied nothing. */
function tokenOf(user: string): string {
  const line = readFileSync(join(state as string, 'tokens.csv'), 'utf8')
    .split('\n')
    .find((l) => l.split(',')[1] === user);
  if (!line) throw new Error(`no token for ${user} in tokens.csv`);
  return line.split(',')[0] as string;
}

/** As the kubelet does: a new file renamed over the old one. */
function rotateToken(dir: string, token: string): void {
  writeFileSync(join(dir, 'token.new'), token);
  renameSync(join(dir, 'token.new'), join(dir, 'token'));
}

async function until(predicate: () => boolean, timeoutMs: number, what: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('in-cluster configuration on a real kube-apiserver', () => {
  it('re-reads a rotated service-account token without a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keventer-sa-'));
    copyFileSync(join(state, 'certs', 'apiserver.crt'), join(dir, 'ca.crt'));
    rotateToken(dir, tokenOf('keventer-denied'));

    const stream = new EventStream({
      kubeConfig: inClusterConfig({ serviceAccountDir: dir, server: apiserver }),
      ack: 'manual',
      backoff: { initialMs: 50, maxMs: 300 },
    });
    const received: string[] = [];
    const sink: Sink = {
      name: 'memory',
      async write(batch) {
        for (const event of batch) received.push(event.message);
      },
    };
    const forwarder = createForwarder({ stream, routes: [{ sink }] });
    const running = forwarder.run();
    try {
      await until(
        () => stream.stats.retries >= 1,
        10_000,
        () => JSON.stringify(stream.stats),
      );
      expect(forwarder.health().problems.join('\n')).toMatch(/403/);

      rotateToken(dir, tokenOf('keventer-e2e'));
      await until(
        () => stream.state.phase === 'watching',
        10_000,
        () => `phase ${stream.state.phase}, stats ${JSON.stringify(stream.stats)}`,
      );

      const message = `rotated-token-${Date.now()}`;
      await createEvent(message);
      await until(
        () => received.includes(message),
        10_000,
        () => `received ${JSON.stringify(received.slice(-5))}`,
      );
    } finally {
      forwarder.stop();
      await running;
    }
  });
});

/** POSTs an Event with the all-powerful token (the stream's own token is the one under test). */
async function createEvent(message: string): Promise<void> {
  const { request } = await import('node:https');
  const now = new Date().toISOString();
  const body = JSON.stringify({
    metadata: { generateName: 'rotation.', namespace: 'default' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'rotation', apiVersion: 'v1' },
    reason: 'Rotated',
    message,
    type: 'Normal',
    source: { component: 'e2e' },
    count: 1,
    firstTimestamp: now,
    lastTimestamp: now,
  });
  await new Promise<void>((resolve, reject) => {
    const req = request(
      `${apiserver}/api/v1/namespaces/default/events`,
      {
        method: 'POST',
        ca: readFileSync(join(state as string, 'certs', 'apiserver.crt')),
        headers: {
          authorization: `Bearer ${tokenOf('keventer-e2e')}`,
          'content-type': 'application/json',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 201 ? resolve() : reject(new Error(`POST answered ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
