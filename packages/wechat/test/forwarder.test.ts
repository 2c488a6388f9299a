import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createForwarder, EventStream } from '@keventer/core';
import { buildEvent, FakeKubeApiServer } from '@keventer/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { wechat } from '../src/index.js';
import { startFake } from './support.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function watchedCluster() {
  const api = await FakeKubeApiServer.start();
  const dir = await mkdtemp(join(tmpdir(), 'keventer-wechat-'));
  cleanups.push(
    () => api.close(),
    () => rm(dir, { recursive: true, force: true }),
  );
  const stream = new EventStream({
    kubeConfig: await api.writeKubeconfig(join(dir, 'kubeconfig')),
    ack: 'manual',
  });
  return { api, stream };
}

const pod = (name: string) => ({ kind: 'Pod', namespace: 'shop', name });

describe('wechat in a forwarder', () => {
  it('delivers Kubernetes warnings as WeCom application messages with one token', async () => {
    const { api, stream } = await watchedCluster();
    const wecom = await startFake({ corpId: 'ww-corp', corpSecret: 'secret' });
    const sink = await wechat.fromUri(
      `wechat:?corp_id=ww-corp&corp_secret=secret&agent_id=1000002&to_user=ops&label=prod&api_base=${wecom.url}`,
    );
    const forwarder = createForwarder({
      stream,
      routes: [{ sink }], // the route applies the sink's own filter (level=Warning)
    });
    const running = forwarder.run();
    await until(() => stream.state.phase === 'watching');
    api.createEvent(
      buildEvent({ type: 'Warning', reason: 'BackOff', involvedObject: pod('alpha') }),
    );
    api.createEvent(buildEvent({ type: 'Normal', reason: 'Pulled', involvedObject: pod('beta') }));
    api.createEvent(
      buildEvent({ type: 'Warning', reason: 'FailedMount', involvedObject: pod('gamma') }),
    );
    await until(() => wecom.appMessages.length === 2);
    forwarder.stop();
    const report = await running;
    expect(wecom.appMessages.map((m) => m.content.split('\n').slice(0, 6))).toEqual([
      ['prod', 'Level: Warning', 'Kind: Pod', 'Namespace: shop', 'Name: alpha', 'Reason: BackOff'],
      [
        'prod',
        'Level: Warning',
        'Kind: Pod',
        'Namespace: shop',
        'Name: gamma',
        'Reason: FailedMount',
      ],
    ]);
    expect(wecom.appMessages.every((m) => m.touser === 'ops')).toBe(true);
    expect(wecom.tokenRequests).toBe(1);
    expect(report.undelivered).toBe(0);
    expect(report.routes.wechat).toMatchObject({ received: 3, filtered: 1, sent: 2 });
  });

  it('delivers to a group robot, retrying when WeCom is busy', async () => {
    const { api, stream } = await watchedCluster();
    const wecom = await startFake();
    wecom.failNext({ api: 'webhook/send', errcode: -1, errmsg: 'system busy' });
    const sink = await wechat({ endpoint: wecom.robotUrl(), msg_type: 'markdown' });
    const forwarder = createForwarder({
      stream,
      routes: [{ sink, delivery: { request: { retryInitialBackoffMs: 5 } } }],
    });
    const running = forwarder.run();
    await until(() => stream.state.phase === 'watching');
    api.createEvent(
      buildEvent({ type: 'Warning', reason: 'OOMKilling', involvedObject: pod('delta') }),
    );
    await until(() => wecom.robotMessages.length === 1);
    forwarder.stop();
    await running;
    expect(wecom.requests.filter((r) => r.path === '/cgi-bin/webhook/send')).toHaveLength(2);
    expect(wecom.robotMessages[0]?.content).toContain('**Reason:** OOMKilling');
  });
});
