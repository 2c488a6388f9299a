import { createSinkFromUri, type Sink } from '@keventer/core';
import { SinkConfigError } from '@keventer/core/kit';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINT, dingtalk } from '../src/index.js';
import { fakeDingTalk, warning, write } from './helpers.js';

const TOKEN = 'uri-token-3e8d1f';
const SECRET = 'SECuri0secret0a7c2';

const normal = warning({ type: 'Normal', reason: 'Pulled', message: 'Pulled image' });
const node = warning({ involvedObject: { kind: 'Node', name: 'node-1' }, reason: 'NodeNotReady' });
const inTeam = warning({ involvedObject: { kind: 'Pod', namespace: 'team-a', name: 'api-0' } });
const deployment = warning({
  involvedObject: { kind: 'Deployment', namespace: 'shop', name: 'web' },
});

const passing = (sink: Sink, events = [warning(), normal, node, inTeam, deployment]) =>
  events.filter((e) => sink.filter?.(e) ?? true).map((e) => e.involvedObject.name);

describe('dingtalk URIs', () => {
  it("kube-eventer's URI: endpoint before '?', repeated label in order, signing", async () => {
    const ding = await fakeDingTalk({ token: TOKEN, secret: SECRET, keywords: ['cluster1'] });
    const { sink } = await createSinkFromUri(
      `dingtalk:${ding.url}?access_token=${TOKEN}&label=cluster1&label=on+call%2C+please&level=Warning&sign=${SECRET}`,
    );
    await write(sink, [warning()]);
    expect(ding.messages[0]?.content.split('\n').slice(0, 3)).toEqual([
      'cluster1',
      'on call, please',
      'Level: Warning',
    ]);
  });

  it('the endpoint defaults to DingTalk', async () => {
    expect(DEFAULT_ENDPOINT).toBe('https://oapi.dingtalk.com/robot/send');
    expect(dingtalk.describe().options.find((o) => o.name === 'endpoint')?.default).toBe(
      DEFAULT_ENDPOINT,
    );
    await expect(dingtalk.fromUri(`dingtalk:?access_token=${TOKEN}`)).resolves.toBeDefined();
  });

  it('an unknown option and a bad level are startup errors, secrets redacted', async () => {
    const error: unknown = await dingtalk
      .fromUri(
        `dingtalk:https://oapi.dingtalk.com/robot/send?access_token=${TOKEN}&sign=${SECRET}&levl=Warning&level=warning`,
      )
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(SinkConfigError);
    const { message, problems } = error as SinkConfigError;
    expect(problems).toEqual([
      "unknown option 'levl' (did you mean 'level'?); accepted options: endpoint, access_token, sign, label, level, namespaces, kinds, msg_type, cluster_id, region, at_mobiles, at_user_ids, at_all, template",
      "option 'level': 'warning' is not accepted; expected one of Warning, Normal (case-sensitive); did you mean 'Warning'?",
    ]);
    expect(message).toContain('access_token=***');
    expect(message).not.toContain(TOKEN);
    expect(message).not.toContain(SECRET);
  });

  it('a missing access_token is a startup error', async () => {
    await expect(
      dingtalk.fromUri('dingtalk:https://oapi.dingtalk.com/robot/send?label=a'),
    ).rejects.toThrow(/missing required option 'access_token'/);
  });

  it('filters as kube-eventer: Warning by default; level=Normal passes both', async () => {
    const byDefault = await dingtalk.fromUri(`dingtalk:?access_token=${TOKEN}`);
    expect(passing(byDefault)).toEqual(['web-1', 'node-1', 'api-0', 'web']);
    const everything = await dingtalk.fromUri(`dingtalk:?access_token=${TOKEN}&level=Normal`);
    expect(passing(everything)).toEqual(['web-1', 'web-1', 'node-1', 'api-0', 'web']);
  });

  it('namespaces and kinds are exact comma lists; Node events pass a namespaces list', async () => {
    const shop = await dingtalk.fromUri(`dingtalk:?access_token=${TOKEN}&namespaces=shop,team-*`);
    expect(passing(shop)).toEqual(['web-1', 'node-1', 'web']);
    const pods = await dingtalk.fromUri(`dingtalk:?access_token=${TOKEN}&kinds=Pod,Node`);
    expect(passing(pods)).toEqual(['web-1', 'node-1', 'api-0']);
  });

  it('asks for the chat robot delivery profile; URI delivery keys reach the route, not the options', async () => {
    const sink = await dingtalk.fromUri(
      `dingtalk:?access_token=${TOKEN}&aggregate.windowMs=10m&request.rateLimitNum=10`,
    );
    expect(sink.delivery?.uri).toEqual({
      'aggregate.windowMs': '10m',
      'request.rateLimitNum': '10',
    });
    expect(dingtalk.delivery).toMatchObject({
      batch: { maxEvents: 1 },
      request: { rateLimitNum: 20, rateLimitDurationMs: 62_000, retryMaxDurationMs: 900_000 },
      aggregate: { windowMs: 300_000 },
    });
  });

  it('a template that is not logic-less is a startup error naming the option', async () => {
    await expect(
      dingtalk.fromUri(
        `dingtalk:?access_token=${TOKEN}&template=${encodeURIComponent('{{ range .Items }}')}`,
      ),
    ).rejects.toThrow(
      /template of option 'template', line 1: '\{\{ range .Items \}\}' is not a field reference/,
    );
  });
});
