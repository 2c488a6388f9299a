import { fileURLToPath } from 'node:url';
import { createSinkFromUri, type KubeEvent, normalizeEvent } from '@keventer/core';
import { buildEvent } from '@keventer/testing';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * kube-eventer's filtering, sink by sink, read from its source
 * (sinks/dingtalk/dingtalk.go, sinks/wechat/wechat.go: `getLevel` scores and
 * `event.Namespace`; sinks/webhook/webhook.go: `getLevels` and
 * common/filters/generic_filter.go: `InvolvedObject.Namespace`, an empty
 * field never matches), checked against the filters of keventer's real sink
 * definitions built from the same URIs. `keventer` is set only where keventer
 * differs on purpose (docs/filters-and-dedup.md, "differs from kube-eventer").
 */
const app = fileURLToPath(new URL('..', import.meta.url));

const at = new Date('2026-01-02T03:04:05Z');
const event = (
  type: string,
  involvedObject: { kind: string; name: string; namespace?: string },
  reason = 'BackOff',
): KubeEvent => normalizeEvent(buildEvent({ type, reason, involvedObject }, { at }));

const EVENTS = {
  'Warning Pod shop': event('Warning', { kind: 'Pod', namespace: 'shop', name: 'web-1' }),
  'Normal Pod shop': event('Normal', { kind: 'Pod', namespace: 'shop', name: 'web-1' }, 'Pulled'),
  'Custom Pod shop': event('Custom', { kind: 'Pod', namespace: 'shop', name: 'web-1' }),
  'Warning Pod kube-system': event('Warning', {
    kind: 'Pod',
    namespace: 'kube-system',
    name: 'dns-1',
  }),
  // Recorded in `default`, as kubelets record node events.
  'Warning Node': event('Warning', { kind: 'Node', name: 'node-1' }, 'NodeNotReady'),
} as const;

type EventName = keyof typeof EVENTS;

const DINGTALK = 'dingtalk:https://oapi.dingtalk.com/robot/send?access_token=T';
const WECHAT = 'wechat:?corp_id=c&corp_secret=s&agent_id=1';
const WEBHOOK = 'webhook:https://hooks.example.com/k8s?team=sre';

interface Row {
  readonly uri: string;
  readonly event: EventName;
  /** What kube-eventer does with this URI and event. */
  readonly kubeEventer: 'delivered' | 'dropped';
  /** What keventer does, when it differs on purpose, and why. */
  readonly keventer?: { readonly answer: 'delivered' | 'dropped'; readonly why: string };
}

const nodeWithNamespaces = {
  answer: 'delivered',
  why: 'a namespaces list does not hide node trouble from chat sinks (clusterScoped)',
} as const;

// The chat sinks share one table: kube-eventer's dingtalk and wechat filter alike.
const chat = (base: string): Row[] => [
  { uri: base, event: 'Warning Pod shop', kubeEventer: 'delivered' },
  { uri: base, event: 'Normal Pod shop', kubeEventer: 'dropped' },
  { uri: base, event: 'Custom Pod shop', kubeEventer: 'dropped' },
  { uri: `${base}&level=Warning`, event: 'Warning Pod shop', kubeEventer: 'delivered' },
  { uri: `${base}&level=Warning`, event: 'Normal Pod shop', kubeEventer: 'dropped' },
  { uri: `${base}&level=Normal`, event: 'Warning Pod shop', kubeEventer: 'delivered' },
  { uri: `${base}&level=Normal`, event: 'Normal Pod shop', kubeEventer: 'delivered' },
  { uri: `${base}&level=Normal`, event: 'Custom Pod shop', kubeEventer: 'dropped' },
  { uri: `${base}&namespaces=shop`, event: 'Warning Pod shop', kubeEventer: 'delivered' },
  { uri: `${base}&namespaces=shop`, event: 'Warning Pod kube-system', kubeEventer: 'dropped' },
  { uri: `${base}&namespaces=a,shop`, event: 'Warning Pod shop', kubeEventer: 'delivered' },
  { uri: `${base}&namespaces=default`, event: 'Warning Node', kubeEventer: 'delivered' },
  {
    uri: `${base}&namespaces=shop`,
    event: 'Warning Node',
    kubeEventer: 'dropped',
    keventer: nodeWithNamespaces,
  },
  { uri: `${base}&kinds=Pod`, event: 'Warning Pod shop', kubeEventer: 'delivered' },
  { uri: `${base}&kinds=Pod`, event: 'Warning Node', kubeEventer: 'dropped' },
  { uri: `${base}&kinds=Node,Pod`, event: 'Warning Node', kubeEventer: 'delivered' },
  { uri: `${base}&level=Normal&kinds=Pod`, event: 'Normal Pod shop', kubeEventer: 'delivered' },
];

const TABLE: Readonly<Record<string, Row[]>> = {
  dingtalk: chat(DINGTALK),
  wechat: chat(WECHAT),
  webhook: [
    { uri: WEBHOOK, event: 'Warning Pod shop', kubeEventer: 'delivered' },
    { uri: WEBHOOK, event: 'Normal Pod shop', kubeEventer: 'delivered' },
    { uri: WEBHOOK, event: 'Custom Pod shop', kubeEventer: 'delivered' },
    { uri: `${WEBHOOK}&level=Warning`, event: 'Warning Pod shop', kubeEventer: 'delivered' },
    { uri: `${WEBHOOK}&level=Warning`, event: 'Normal Pod shop', kubeEventer: 'dropped' },
    // getLevels: Normal means Normal and Warning.
    { uri: `${WEBHOOK}&level=Normal`, event: 'Warning Pod shop', kubeEventer: 'delivered' },
    { uri: `${WEBHOOK}&level=Normal`, event: 'Normal Pod shop', kubeEventer: 'delivered' },
    { uri: `${WEBHOOK}&level=Normal`, event: 'Custom Pod shop', kubeEventer: 'dropped' },
    { uri: `${WEBHOOK}&namespaces=shop`, event: 'Warning Pod shop', kubeEventer: 'delivered' },
    { uri: `${WEBHOOK}&namespaces=shop`, event: 'Warning Pod kube-system', kubeEventer: 'dropped' },
    // InvolvedObject.Namespace is empty for a Node: never matched.
    { uri: `${WEBHOOK}&namespaces=default`, event: 'Warning Node', kubeEventer: 'dropped' },
    { uri: `${WEBHOOK}&kinds=Node`, event: 'Warning Node', kubeEventer: 'delivered' },
    { uri: `${WEBHOOK}&kinds=Node`, event: 'Warning Pod shop', kubeEventer: 'dropped' },
    { uri: `${WEBHOOK}&reason=^Back`, event: 'Warning Pod shop', kubeEventer: 'delivered' },
    { uri: `${WEBHOOK}&reason=^Back`, event: 'Normal Pod shop', kubeEventer: 'dropped' },
    { uri: `${WEBHOOK}&reason=Node,Off$`, event: 'Warning Pod shop', kubeEventer: 'delivered' },
    {
      uri: `${WEBHOOK}&level=Normal&namespaces=shop`,
      event: 'Warning Pod shop',
      kubeEventer: 'delivered',
    },
  ],
};

const closers: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

describe("kube-eventer's filtering semantics, per sink, through the real sink definitions", () => {
  for (const [scheme, rows] of Object.entries(TABLE)) {
    describe(scheme, () => {
      const named = rows.map(
        (row) => [row.uri.slice(row.uri.indexOf('?')), row.event, row] as const,
      );
      it.each(named)('%s: %s', async (_query, _event, row) => {
        const { sink } = await createSinkFromUri(row.uri, { resolveFrom: app, env: {} });
        closers.push(() => sink.close?.());
        expect(sink.name).toBe(scheme);
        const passes = sink.filter?.(EVENTS[row.event]) ?? true;
        const expected = row.keventer?.answer ?? row.kubeEventer;
        expect(passes ? 'delivered' : 'dropped').toBe(expected);
      });
    });
  }
});
