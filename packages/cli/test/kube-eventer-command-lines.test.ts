import {
  buildEvent,
  FakeDingTalkServer,
  FakeKubeApiServer,
  FakeWebhookReceiver,
  waitFor,
} from '@keventer/testing';
import { describe, expect, it } from 'vitest';
import {
  cleanupAfterEach,
  startCli,
  waitForForwarding,
  waitForMetrics,
} from './support/run-cli.js';

// kube-eventer's own command lines, copied verbatim from where users take them.
// Only the hosts are swapped for local servers (kubernetes.default and
// oapi.dingtalk.com do not resolve here); the paths and queries are as written.

/** The article's Deployment (../shared/seed/kube-eventer-article.txt), as kube-eventer's deploy/deploy.yaml. */
const ARTICLE = [
  '--source=kubernetes:https://kubernetes.default',
  '--sink=dingtalk:https://oapi.dingtalk.com/robot/send?access_token=81kanbcl18sjambp9cb31o0k1jalh189asnxmafbf70933cb42978abd19d8fff7&label=cluster1&level=Warning',
];
const ARTICLE_TOKEN = '81kanbcl18sjambp9cb31o0k1jalh189asnxmafbf70933cb42978abd19d8fff7';

/** kube-eventer docs/en/configuration.md: without in-cluster config (kubectl proxy). */
const CONFIGURATION_MD_SOURCE =
  '--source=kubernetes:http://<address-of-kubernetes-master>:<http-port>?inClusterConfig=false';
/** docs/en/dingtalk-sink.md: signed, Normal and Warning. */
const DINGTALK_SIGNED =
  '--sink=dingtalk:https://oapi.dingtalk.com/robot/send?access_token=a5c19f3e02feba7bd5dfc22bfb04afa212359acfe86fd80eb159187097b7d014&label=c550367cdf1e84dfabab013b277cc6bc2&level=Normal&sign=SEC4801ebab0yeuq924909668e5979f7d184b3f4bfac6a63ae36a';
/** docs/en/webhook-sink.md: namespaces, kinds and headers. */
const WEBHOOK =
  '--sink=webhook:https://oapi.dingtalk.com/robot/send?access_token=a5c19f3e02feba7bd5dfc22bfb04afa212359acfe86fd80eb159187097b7d014&level=Normal&namespaces=a,b&kinds=c,d&header=contentType=customContentType&header=customHeaderKey=customHeaderValue';

const DINGTALK_HOST = 'https://oapi.dingtalk.com/robot/send';
const defer = cleanupAfterEach();

function warning(namespace: string, kind: string, name: string, reason = 'BackOff') {
  return buildEvent({
    type: 'Warning',
    reason,
    message: `Back-off restarting failed container in ${name}`,
    involvedObject: { kind, namespace, name },
  });
}

describe("kube-eventer's command lines", () => {
  it("the article's Deployment (in-cluster service account at https://kubernetes.default) forwards Warnings to its DingTalk robot", async () => {
    // HTTPS with its own CA, which the service-account folder's ca.crt holds, as in a pod.
    const api = await FakeKubeApiServer.start({ token: 'sa-token', tls: true });
    defer(() => api.close());
    const serviceAccount = api.serviceAccountDir('kube-system');
    const ding = await FakeDingTalkServer.start({ token: ARTICLE_TOKEN, keywords: ['cluster1'] });
    defer(() => ding.close());

    const args = ARTICLE.map((a) =>
      a.replace('https://kubernetes.default', api.url).replace(DINGTALK_HOST, ding.url),
    );
    const cli = startCli([...args, '--healthz-ip=127.0.0.1', '--healthz-port=0'], {
      KEVENTER_SERVICE_ACCOUNT_DIR: serviceAccount,
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
    });
    defer(() => cli.kill());
    const url = await cli.healthzUrl(60_000);
    await waitForForwarding(url);

    api.createEvent(warning('shop', 'Pod', 'cart-7d9f'));
    api.createEvent(
      buildEvent({
        type: 'Normal',
        reason: 'Pulled',
        involvedObject: { kind: 'Pod', namespace: 'shop', name: 'cart-7d9f' },
      }),
    );
    api.createEvent(warning('shop', 'Pod', 'checkout-1a2b', 'FailedScheduling'));
    await waitFor(() => ding.messages.length >= 2, {
      timeoutMs: 30_000,
      what: () => ding.renderChat(),
    });

    const texts = ding.messages.map((m) => m.content);
    expect(
      texts.some(
        (t) => t.startsWith('cluster1') && t.includes('cart-7d9f') && t.includes('BackOff'),
      ),
    ).toBe(true);
    expect(texts.some((t) => t.includes('checkout-1a2b') && t.includes('FailedScheduling'))).toBe(
      true,
    );
    expect(texts.join('\n')).not.toContain('Pulled'); // level=Warning
    // The service account's token reached the API server over TLS verified with its ca.crt.
    expect(api.requests.length).toBeGreaterThan(0);
    expect(api.url).toMatch(/^https:/);
    await waitForMetrics(url, [
      /keventer_events_sent_total\{route="dingtalk",sink="dingtalk"\} 2\n/,
    ]);
  }, 120_000);

  it("the docs' command lines (configuration.md's source, dingtalk-sink.md's signed robot, webhook-sink.md's filters and headers) forward together", async () => {
    const api = await FakeKubeApiServer.start();
    defer(() => api.close());
    const ding = await FakeDingTalkServer.start({
      token: 'a5c19f3e02feba7bd5dfc22bfb04afa212359acfe86fd80eb159187097b7d014',
      secret: 'SEC4801ebab0yeuq924909668e5979f7d184b3f4bfac6a63ae36a',
      keywords: ['c550367cdf1e84dfabab013b277cc6bc2'],
    });
    defer(() => ding.close());
    const hook = await FakeWebhookReceiver.start();
    defer(() => hook.close());
    const address = new URL(api.url);
    const args = [
      CONFIGURATION_MD_SOURCE.replace('<address-of-kubernetes-master>', address.hostname).replace(
        '<http-port>',
        address.port,
      ),
      DINGTALK_SIGNED.replace(DINGTALK_HOST, ding.url),
      // GET is kube-eventer's default method; its body goes with it.
      WEBHOOK.replace(DINGTALK_HOST, `${hook.url}/robot/send`),
      // kube-eventer's other flags, in both of Go's forms.
      '--frequency=10s',
      '-max_procs',
      '2',
      '--v=2',
      '--logtostderr=true',
      '--healthz-ip',
      '127.0.0.1',
      '-healthz-port=0',
      '--event-metrics=false',
    ];
    const cli = startCli(args);
    defer(() => cli.kill());
    const url = await cli.healthzUrl(60_000);
    await waitForForwarding(url);

    api.createEvent(warning('a', 'c', 'thing-1'));
    api.createEvent(warning('shop', 'Pod', 'cart-7d9f'));
    await waitFor(() => ding.messages.length >= 2 && hook.requests.length >= 1, {
      timeoutMs: 30_000,
      what: () => `${ding.renderChat()}\nwebhook: ${hook.requests.length}`,
    });
    // The webhook's namespaces=a,b&kinds=c,d let only the first through, with its headers.
    expect(hook.requests).toHaveLength(1);
    const [request] = hook.requests;
    expect(request?.headers.customheaderkey).toBe('customHeaderValue');
    expect(JSON.stringify(request?.body)).toContain('thing-1');
    expect(ding.messages.map((m) => m.content).join('\n')).toContain('cart-7d9f');
    // Each ignored flag explained once.
    const said = cli.stdout();
    expect(said.match(/--frequency is accepted/g)).toHaveLength(1);
    expect(said).toMatch(/--max_procs is accepted/);
    expect((await fetch(`${url}/metrics`)).status).toBe(404); // --event-metrics=false
  }, 120_000);
});
