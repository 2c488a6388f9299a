// What waiting cannot heal, and what it can, on a real kube-apiserver: a CA
// that did not sign the apiserver's certificate stops the stream and the
// forwarder at once; a user RBAC denies keeps retrying, with health unhealthy
// at once and the reason said. Self-contained: it needs only the state dir.

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createForwarder, EventStream, type Sink, StreamConfigError } from '../src/index.js';

const state = process.env.KEVENTER_E2E_STATE;
if (!state)
  throw new Error('KEVENTER_E2E_STATE is not set: run the e2e tier through scripts/e2e.sh');

/** Nothing reaches it: these streams never get an event. */
const nullSink: Sink = { name: 'null', async write() {} };
const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

async function until(predicate: () => boolean, timeoutMs: number, what: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('configuration problems on a real kube-apiserver', () => {
  it('a CA that did not sign the server certificate stops run() at once, saying so', async () => {
    const stream = new EventStream({
      kubeConfig: join(state, 'kubeconfig-wrong-ca'),
      ack: 'manual',
    });
    const forwarder = createForwarder({ stream, routes: [{ sink: nullSink }] });
    stops.push(() => forwarder.stop());
    const started = Date.now();
    const failure = await forwarder.run().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(StreamConfigError);
    expect(String((failure as Error).message)).toMatch(/certificate/i);
    expect(Date.now() - started).toBeLessThan(5000); // no backoff: waiting cannot heal it
    expect(stream.state.phase).toBe('stopped');
  });

  it('a user RBAC denies keeps retrying, and health says why at once', async () => {
    const stream = new EventStream({
      kubeConfig: join(state, 'kubeconfig-denied'),
      ack: 'manual',
      backoff: { initialMs: 50, maxMs: 200 },
    });
    const forwarder = createForwarder({ stream, routes: [{ sink: nullSink }] });
    const running = forwarder.run();
    stops.push(() => forwarder.stop());
    await until(
      () => stream.stats.retries >= 2,
      10_000,
      () => JSON.stringify(stream.stats),
    );
    const health = forwarder.health();
    expect(health.healthy).toBe(false);
    expect(health.problems.join('\n')).toMatch(/not allowed to list\/watch events \(403\)/);
    expect(stream.state.phase).not.toBe('stopped'); // RBAC can be fixed live: still trying
    forwarder.stop();
    await running;
  });
});
