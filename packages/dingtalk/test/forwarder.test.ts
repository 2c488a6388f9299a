import { createSinkFromUri } from '@keventer/core';
import { buildEvent, type FakeDingTalkServer, startForwarding, waitFor } from '@keventer/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import '../src/index.js';
import { fakeDingTalk } from './helpers.js';

/** waitFor options: a generous timeout, and the chat so far on failure. */
const chat = (ding: FakeDingTalkServer) => ({ timeoutMs: 8000, what: () => ding.renderChat() });

const pod = (name: string) => ({ kind: 'Pod', namespace: 'shop', name });

describe('FakeKubeApiServer → createForwarder → dingtalk sink → FakeDingTalkServer', () => {
  it('only Warning events reach the group, signed and with the keyword label', async () => {
    const ding = await fakeDingTalk({
      token: 'fwd-token',
      secret: 'SECfwd0secret',
      keywords: ['cluster1'],
    });
    const { sink } = await createSinkFromUri(ding.sinkUri({ label: 'cluster1' }));
    const { api, stop } = await startForwarding([{ sink }], { registerCleanup: onTestFinished });
    const names = ['api-0', 'db-0', 'web-0', 'cache-0', 'queue-0', 'auth-0'];
    names.forEach((name, i) => {
      const type = i % 2 === 0 ? 'Warning' : 'Normal';
      api.createEvent(
        buildEvent({ involvedObject: pod(name), type, reason: `R${i}`, message: `m"${i}"` }),
      );
    });
    await waitFor(() => ding.messages.length === 3, chat(ding));
    const report = await stop();
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
    const ding = await fakeDingTalk({ token: 'fwd-token' });
    const { sink } = await createSinkFromUri(ding.sinkUri());
    const { api, stop } = await startForwarding(
      [{ sink, delivery: { aggregate: { windowMs: 300 } } }],
      { registerCleanup: onTestFinished },
    );
    const created = api.createEvent(
      buildEvent({ involvedObject: pod('web-0'), type: 'Warning', reason: 'BackOff' }),
    );
    await waitFor(() => ding.messages.length === 1, chat(ding));
    for (let i = 0; i < 3; i++) api.recurEvent('shop', created.metadata?.name ?? '');
    await waitFor(() => ding.messages.length === 2, chat(ding));
    await stop();
    expect(ding.messages[1]?.content).toMatch(
      /\nRepeated: 3 more times (from \S+ to \S+|at \S+)\nObjects: Pod shop\/web-0$/,
    );
  });
});
