import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSinkFromUri, type Logger } from '@keventer/core';
import type { FakeKubeApiServer } from '@keventer/testing';
import { describe, expect, it } from 'vitest';
import { type WebhookSink, webhook } from '../src/index.js';
import {
  kubeEvent,
  onCleanup,
  rejection,
  startApiServer,
  startReceiver,
  track,
  until,
  write,
} from './support.js';

const V1 = '{"v":1,"kind":"{{ .InvolvedObject.Kind }}","msg":"{{ .Message }}"}';
const V2 = '{\n  "v": 2,\n  "reason": "{{ .Reason }}"\n}';
const BROKEN = '{"v":3,"msg":{{ .Message }}}';
const SOURCE = 'ConfigMap kube-system/webhook-body';

function recordingLogger() {
  const lines: string[] = [];
  const log = (level: string) => (obj: object | string, msg?: string) => {
    lines.push(`${level}: ${typeof obj === 'string' ? obj : msg}`);
  };
  const logger: Logger = {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  };
  return { logger, lines };
}

async function kubeconfigFile(server: FakeKubeApiServer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'keventer-webhook-'));
  onCleanup(() => rm(dir, { recursive: true, force: true }));
  return server.writeKubeconfig(join(dir, 'kubeconfig'));
}

async function configMapSink(server: FakeKubeApiServer, endpoint: string, logger?: Logger) {
  const sink: WebhookSink = await webhook({
    endpoint,
    custom_body_configmap: 'webhook-body',
    custom_body_configmap_namespace: 'kube-system',
    custom_body_refresh: 100,
    kubeconfig: await kubeconfigFile(server),
    ...(logger ? { logger } : {}),
  });
  return track(sink);
}

const bodies = (receiver: { accepted: Array<{ body: unknown }> }) =>
  receiver.accepted.map((r) => r.body);

describe('custom_body_configmap', () => {
  it("renders with the ConfigMap's data.content and follows its changes", async () => {
    const [server, receiver] = [await startApiServer(), await startReceiver()];
    server.configMaps.apply('kube-system', 'webhook-body', { content: V1 });
    const { logger, lines } = recordingLogger();
    const sink = await configMapSink(server, receiver.url, logger);
    expect(sink.template).toEqual({ source: SOURCE, resourceVersion: '1' });
    await write(sink, [kubeEvent({ message: 'say "hi"\n中文' })]);

    server.configMaps.apply('kube-system', 'webhook-body', { content: V2 });
    await until(() => sink.template?.resourceVersion === '2');
    await write(sink, [kubeEvent()]);

    expect(bodies(receiver)).toEqual([
      { v: 1, kind: 'Pod', msg: 'say "hi"\n中文' },
      { v: 2, reason: 'BackOff' },
    ]);
    expect(lines).toEqual([`info: webhook: reloaded the body template from ${SOURCE}`]);
  });

  it('keeps the last good template when a new version is broken, and says so once', async () => {
    const [server, receiver] = [await startApiServer(), await startReceiver()];
    server.configMaps.apply('kube-system', 'webhook-body', { content: V1 });
    const { logger, lines } = recordingLogger();
    const sink = await configMapSink(server, receiver.url, logger);

    server.configMaps.apply('kube-system', 'webhook-body', { content: BROKEN });
    await until(() => sink.template?.error !== undefined);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a few more polls
    await write(sink, [kubeEvent({ message: 'still v1' })]);
    expect(bodies(receiver)).toEqual([{ v: 1, kind: 'Pod', msg: 'still v1' }]);
    expect(sink.template).toMatchObject({
      resourceVersion: '1',
      error: expect.stringMatching(/^resourceVersion 2 is not used: .*does not render valid JSON/),
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^warn: webhook: ConfigMap kube-system\/webhook-body: resourceVersion 2 is not used: .*; keeping the template of resourceVersion 1$/,
    );

    server.configMaps.apply('kube-system', 'webhook-body', { content: V2 });
    await until(() => sink.template?.resourceVersion === '3');
    expect(sink.template?.error).toBeUndefined();
    expect(lines.slice(1)).toEqual([`info: webhook: reloaded the body template from ${SOURCE}`]);
  });

  it('keeps the last good template while the ConfigMap cannot be read', async () => {
    const [server, receiver] = [await startApiServer(), await startReceiver()];
    server.configMaps.apply('kube-system', 'webhook-body', { content: V1 });
    const { logger, lines } = recordingLogger();
    const sink = await configMapSink(server, receiver.url, logger);
    server.configMaps.delete('kube-system', 'webhook-body');
    await until(() => sink.template?.error !== undefined);
    expect(sink.template?.error).toMatch(/could not re-read it: .*404.*not found/);
    await write(sink, [kubeEvent({ message: 'm' })]);
    expect(bodies(receiver)).toEqual([{ v: 1, kind: 'Pod', msg: 'm' }]);
    expect(lines).toEqual([expect.stringMatching(/^warn: .*could not re-read it/)]);

    server.configMaps.apply('kube-system', 'webhook-body', { content: V1 });
    await until(() => sink.template?.resourceVersion === '2');
    expect(lines.slice(1)).toEqual([`info: webhook: reloaded the body template from ${SOURCE}`]);
  });

  it('refuses to start without the ConfigMap or its content key', async () => {
    const server = await startApiServer();
    const missing = await rejection(configMapSink(server, 'http://127.0.0.1:1'));
    expect(missing.message).toBe(
      '[keventer] [webhook] ConfigMap kube-system/webhook-body (custom_body_configmap) does not exist',
    );
    server.configMaps.apply('kube-system', 'webhook-body', { template: V1 });
    await expect(configMapSink(server, 'http://127.0.0.1:1')).rejects.toThrow(
      /has no data.content/,
    );
    server.configMaps.apply('kube-system', 'webhook-body', { content: BROKEN });
    await expect(configMapSink(server, 'http://127.0.0.1:1')).rejects.toThrow(
      /does not render valid JSON/,
    );
  });

  it("reads kube-eventer's URI options, with its default namespace 'default'", async () => {
    const [server, receiver] = [await startApiServer(), await startReceiver()];
    server.configMaps.apply('default', 'body', { content: V2 });
    const kubeconfig = encodeURIComponent(await kubeconfigFile(server));
    const { sink } = await createSinkFromUri(
      `webhook:${receiver.url}/x?custom_body_configmap=body&kubeconfig=${kubeconfig}`,
    );
    track(sink);
    await write(sink, [kubeEvent()]);
    expect(bodies(receiver)).toEqual([{ v: 2, reason: 'BackOff' }]);
    expect(server.requests.map((r) => r.path)).toContain(
      '/api/v1/namespaces/default/configmaps/body',
    );
  });
});
