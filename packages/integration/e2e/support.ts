import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@keventer/testing';
import { CoreV1Api, type CoreV1Event, KubeConfig } from '@kubernetes/client-node';
import {
  createForwarder,
  EventStream,
  type EventStreamOptions,
  type Forwarder,
  type ForwarderReport,
  type RouteOptions,
} from '../../core/src/index.js';
import { type RecordedStream, recordStream } from '../test/support/record-stream.js';

const state = process.env.KEVENTER_E2E_STATE;
if (!state)
  throw new Error('KEVENTER_E2E_STATE is not set: run the e2e tier through scripts/e2e.sh');
export const kubeconfigPath = join(state, 'kubeconfig');
const ctlScript = fileURLToPath(new URL('../../../scripts/kube-apiserver/ctl.sh', import.meta.url));

/** Runs scripts/kube-apiserver/ctl.sh on the e2e cluster: 'restart-apiserver', 'compact', ... */
export function ctl(action: string): void {
  execFileSync('bash', [ctlScript, state as string, action], { stdio: 'inherit' });
}

/** A forwarder over the e2e apiserver, watching `namespace`: resolves once it watches. */
export async function startForwarder(
  namespace: string,
  routes: readonly RouteOptions[],
): Promise<{ forwarder: Forwarder; stop: () => Promise<ForwarderReport> }> {
  const stream = new EventStream({ kubeConfig: kubeconfigPath, ack: 'manual', namespace });
  const forwarder = createForwarder({ stream, routes });
  const running = forwarder.run();
  await waitFor(() => stream.state.phase === 'watching', { timeoutMs: 15_000 });
  return {
    forwarder,
    stop: () => {
      forwarder.stop();
      return running;
    },
  };
}

export function api(): CoreV1Api {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return kc.makeApiClient(CoreV1Api);
}

let serial = 0;

/** Creates a core/v1 Event the way kubelet's legacy recorder does. */
export async function createEvent(
  namespace: string,
  object: string,
  reason = 'BackOff',
): Promise<CoreV1Event> {
  const now = new Date();
  serial++;
  return api().createNamespacedEvent({
    namespace,
    body: {
      metadata: { name: `${object}.e2e${Date.now().toString(16)}${serial}`, namespace },
      involvedObject: { kind: 'Pod', namespace, name: object, apiVersion: 'v1' },
      reason,
      message: `Back-off restarting failed container app in pod ${object}`,
      type: 'Warning',
      source: { component: 'kubelet', host: 'node-e2e' },
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
    },
  });
}

/** A recurrence: count++ and a new lastTimestamp, as the recorder's PATCH/PUT does. */
export async function recurEvent(event: CoreV1Event, at = new Date()): Promise<CoreV1Event> {
  const { name = '', namespace = '' } = event.metadata ?? {};
  const current = await api().readNamespacedEvent({ name, namespace });
  return api().replaceNamespacedEvent({
    name,
    namespace,
    body: { ...current, count: (current.count ?? 1) + 1, lastTimestamp: at },
  });
}

export async function relabelEvent(event: CoreV1Event): Promise<CoreV1Event> {
  const { name = '', namespace = '' } = event.metadata ?? {};
  const current = await api().readNamespacedEvent({ name, namespace });
  current.metadata = { ...current.metadata, labels: { relabelled: String(Date.now()) } };
  return api().replaceNamespacedEvent({ name, namespace, body: current });
}

export async function deleteEvent(event: CoreV1Event): Promise<void> {
  const { name = '', namespace = '' } = event.metadata ?? {};
  await api().deleteNamespacedEvent({ name, namespace });
}

export async function ensureNamespace(name: string): Promise<void> {
  await api()
    .createNamespace({ body: { metadata: { name } } })
    .catch((error: { code?: number }) => {
      if (error.code !== 409) throw error;
    });
}

/** The occurrence id EventStream reports for an object the API returned. */
export function idOf(event: CoreV1Event): string {
  return `${event.metadata?.uid}/${event.count ?? 1}/${event.lastTimestamp?.getTime()}`;
}

export function runStream(options: EventStreamOptions = {}) {
  const stream = new EventStream({
    kubeConfig: kubeconfigPath,
    backoff: { initialMs: 100, maxMs: 1000 },
    ...options,
  });
  return recordStream(stream, { pollMs: 50, timeoutMs: 30_000 });
}

/** Waits for `expected.length` occurrences, then a little longer to catch repeats. */
export async function expectExactly(run: RecordedStream, expected: string[]): Promise<void> {
  await run.until(() => run.ids.length >= expected.length);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const sortedIds = [...run.ids].sort();
  const sortedExpected = [...expected].sort();
  if (JSON.stringify(sortedIds) !== JSON.stringify(sortedExpected)) {
    throw new Error(
      `emitted ${JSON.stringify(sortedIds)}\nexpected ${JSON.stringify(sortedExpected)}`,
    );
  }
}
