import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createForwarder, createSinkFromUri, EventStream, type RouteOptions } from '@keventer/core';
import { buildEvent, FakeKubeApiServer } from '@keventer/testing';
import { afterEach, describe, expect, it } from 'vitest';
import '../src/index.js';
import { fakeDingTalk } from './helpers.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function kubeApi() {
  const server = await FakeKubeApiServer.start();
  const dir = await mkdtemp(join(tmpdir(), 'keventer-dingtalk-'));
  cleanups.push(
    () => server.close(),
    () => rm(dir, { recursive: true, force: true }),
  );
  return { server, kubeConfig: await server.writeKubeconfig(join(dir, 'kubeconfig')) };
}

async function until(predicate: () => boolean, what: () => string, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function forward(kubeConfig: string, route: RouteOptions) {
  const stream = new EventStream({ kubeConfig, ack: 'manual' });
  const forwarder = createForwarder({ stream, routes: [route] });
  const running = forwarder.run();
  await until(
    () => stream.state.phase === 'watching',
    () => stream.state.phase,
  );
  return { forwarder, running };
}

const pod = (name: string) => ({ kind: 'Pod', namespace: 'shop', name });

describe('FakeKubeApiServer → createForwarder → dingtalk sink → FakeDingTalkServer', () => {
  it('only Warning events reach the group, signed and with the keyword label', async () => {
    const { server, kubeConfig } = await kubeApi();
    const ding = await fakeDingTalk({
      token: 'fwd-token',
      secret: 'SECfwd0secret',
      keywords: ['cluster1'],
    });
    const { sink } = await createSinkFromUri(ding.sinkUri({ label: 'cluster1' }));
    const { forwarder, running } = await forward(kubeConfig, { sink });
    const names = ['api-0', 'db-0', 'web-0', 'cache-0', 'queue-0', 'auth-0'];
    names.forEach((name, i) => {
      const type = i % 2 === 0 ? 'Warning' : 'Normal';
      server.createEvent(
        buildEvent({ involvedObject: pod(name), type, reason: `R${i}`, message: `m"${i}"` }),
      );
    });
    await until(
      () => ding.messages.length === 3,
      () => ding.renderChat(),
    );
    forwarder.stop();
    const report = await running;
    expect(ding.messages.map((m) => m.content.split('\n')[4])).toEqual([
      'Name: api-0',
      'Name: web-0',
      'Name: queue-0',
    ]);
    expect(ding.messages[0]?.content).toMatch(
      /^cluster1\nLevel: Warning\nKind: Pod\nNamespace: shop\nName: api-0\nReason: R0\nTimestamp: \S+Z\nMessage: m"0"$/,
    );
    expect(ding.requests.every((r) => /&timestamp=\d+&sign=/.test(r.url))).toBe(true);
    expect(report.routes.dingtalk).toMatchObject({ received: 6, filtered: 3, sent: 3 });
    expect(report.undelivered).toBe(0);
  });

  it('a recurring Warning is one message, then one digest of its repeats', async () => {
    const { server, kubeConfig } = await kubeApi();
    const ding = await fakeDingTalk({ token: 'fwd-token' });
    const { sink } = await createSinkFromUri(ding.sinkUri());
    const { forwarder, running } = await forward(kubeConfig, {
      sink,
      delivery: { aggregate: { windowMs: 300 } },
    });
    const created = server.createEvent(
      buildEvent({ involvedObject: pod('web-0'), type: 'Warning', reason: 'BackOff' }),
    );
    await until(
      () => ding.messages.length === 1,
      () => ding.renderChat(),
    );
    for (let i = 0; i < 3; i++) server.recurEvent('shop', created.metadata?.name ?? '');
    await until(
      () => ding.messages.length === 2,
      () => ding.renderChat(),
    );
    forwarder.stop();
    await running;
    expect(ding.messages[1]?.content).toMatch(
      /\nRepeated: 3 more times (from \S+ to \S+|at \S+)\nObjects: Pod shop\/web-0$/,
    );
  });
});
