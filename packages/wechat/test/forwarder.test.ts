import { buildEvent, startForwarding, waitFor } from '@keventer/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { wechat } from '../src/index.js';
import { startFake } from './support.js';

const pod = (name: string) => ({ kind: 'Pod', namespace: 'shop', name });

describe('wechat in a forwarder', () => {
  it('delivers Kubernetes warnings as WeCom application messages with one token', async () => {
    const wecom = await startFake({ corpId: 'ww-corp', corpSecret: 'secret' });
    const sink = await wechat.fromUri(
      `wechat:?corp_id=ww-corp&corp_secret=secret&agent_id=1000002&to_user=ops&label=prod&api_base=${wecom.url}`,
    );
    // The route applies the sink's own filter (level=Warning).
    const { api, stop } = await startForwarding([{ sink }], { registerCleanup: onTestFinished });
    api.createEvent(
      buildEvent({ type: 'Warning', reason: 'BackOff', involvedObject: pod('alpha') }),
    );
    api.createEvent(buildEvent({ type: 'Normal', reason: 'Pulled', involvedObject: pod('beta') }));
    api.createEvent(
      buildEvent({ type: 'Warning', reason: 'FailedMount', involvedObject: pod('gamma') }),
    );
    await waitFor(() => wecom.appMessages.length === 2);
    const report = await stop();
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
    const wecom = await startFake();
    wecom.failNext({ api: 'webhook/send', errcode: -1, errmsg: 'system busy' });
    const sink = await wechat({ endpoint: wecom.robotUrl(), msg_type: 'markdown' });
    const { api, stop } = await startForwarding(
      [{ sink, delivery: { request: { retryInitialBackoffMs: 5 } } }],
      { registerCleanup: onTestFinished },
    );
    api.createEvent(
      buildEvent({ type: 'Warning', reason: 'OOMKilling', involvedObject: pod('delta') }),
    );
    await waitFor(() => wecom.robotMessages.length === 1);
    await stop();
    expect(wecom.requests.filter((r) => r.path === '/cgi-bin/webhook/send')).toHaveLength(2);
    expect(wecom.robotMessages[0]?.content).toContain('**Reason:** OOMKilling');
  });
});
