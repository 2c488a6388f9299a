import { FakeKubeApiServer } from '@keventer/testing';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach } from 'vitest';
import { configMapApiOf, type LeaseApi, leaseApiOf } from '../../src/ha/index.js';

/** Short timings, keeping client-go's proportions: lease 2 s, renew deadline 1.2 s, retry 0.3 s. */
export const FAST = { leaseDurationMs: 2000, renewDeadlineMs: 1200, retryPeriodMs: 300 } as const;
export const NAMESPACE = 'keventer-system';

const servers: FakeKubeApiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A fake API server (closed after the test) and client-node APIs on it. */
export async function fakeCluster() {
  const server = await FakeKubeApiServer.start({ token: 'the-token' });
  servers.push(server);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(server.kubeconfig());
  return {
    server,
    kubeConfig,
    leases: leaseApiOf(kubeConfig),
    configMaps: configMapApiOf(kubeConfig),
  };
}

/** A LeaseApi that fails every call while `down` is set: an apiserver the leader cannot reach. */
export function cuttable(api: LeaseApi) {
  const state = { down: false };
  const gate = <T>(call: () => Promise<T>) =>
    state.down ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1')) : call();
  const cut: LeaseApi = {
    read: (ns, name) => gate(() => api.read(ns, name)),
    create: (ns, lease) => gate(() => api.create(ns, lease)),
    replace: (ns, name, lease) => gate(() => api.replace(ns, name, lease)),
  };
  return { api: cut, state };
}

/** Records who works when: each holder's [start, stop] in ms. */
export class WorkLog {
  readonly spans: { who: string; start: number; stop?: number; reason?: unknown }[] = [];

  /** The work function for LeaderElector.lead: works until told to stop. */
  work(who: string) {
    return async (stop: AbortSignal) => {
      const span: WorkLog['spans'][number] = { who, start: Date.now() };
      this.spans.push(span);
      await new Promise<void>((resolve) =>
        stop.addEventListener('abort', () => resolve(), { once: true }),
      );
      span.stop = Date.now();
      span.reason = stop.reason;
    };
  }

  working(): string[] {
    return this.spans.filter((s) => s.stop === undefined).map((s) => s.who);
  }

  /** Pairs of spans of different replicas that overlap in time. */
  overlaps(): string[] {
    const found: string[] = [];
    for (const a of this.spans)
      for (const b of this.spans)
        if (
          a !== b &&
          a.who < b.who &&
          a.start < (b.stop ?? Infinity) &&
          b.start < (a.stop ?? Infinity)
        )
          found.push(`${a.who} ${a.start}-${a.stop} with ${b.who} ${b.start}-${b.stop}`);
    return found;
  }
}
