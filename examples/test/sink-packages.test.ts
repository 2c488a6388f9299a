import { fileURLToPath } from 'node:url';
import { createSinkFromUri } from '@keventer/core';
import { describe, expect, it } from 'vitest';

// An app that installed the sink packages: createSinkFromUri finds each by its scheme.
const app = fileURLToPath(new URL('..', import.meta.url));

describe('sink packages load from their kube-eventer URIs', () => {
  it.each([
    ['dingtalk:https://oapi.dingtalk.com/robot/send?access_token=T&label=prod', 'dingtalk'],
    ['wechat:?corp_id=c&corp_secret=s&agent_id=1000002&to_user=a,b', 'wechat'],
    ['wechat:https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K', 'wechat'],
    ['webhook:https://example.com/hook?level=Warning&header=X-Token=t', 'webhook'],
    ['feishu:https://open.feishu.cn/open-apis/bot/v2/hook/abc?sign=s', 'feishu'],
    ['slack:https://hooks.slack.com/services/T0/B0/XYZ', 'slack'],
  ])('%s', async (uri, scheme) => {
    const created = await createSinkFromUri(uri, { resolveFrom: app, env: {} });
    expect(created.definition.scheme).toBe(scheme);
    expect(created.sink.delivery?.defaults).toBeDefined();
    await created.sink.close?.();
  });
});
