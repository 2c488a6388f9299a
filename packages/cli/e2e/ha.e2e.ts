// High availability on a real kube-apiserver: two `keventer` processes with
// leader election and the checkpoint in a ConfigMap, a webhook sink into a
// receiver, Events created all along. Killing the leader (SIGKILL) hands over
// within the lease duration with nothing lost and at most one batch repeated;
// stopping it (SIGTERM) hands over at once with nothing repeated.

import { FakeWebhookReceiver } from '@keventer/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ctl, ensureNamespace } from '../../integration/e2e/support.js';
import {
  buildCli,
  holderOf,
  LEASE,
  produceEvents,
  Replica,
  type ReplicaSetup,
  waitForAsync,
  writeConfig,
} from './ha-support.js';

const systemNamespace = 'e2e-ha-system';
const MAX_EVENTS = 20;
const TOTAL = 300;
const PER_SECOND = 30;

let receiver: FakeWebhookReceiver;
const replicas: Replica[] = [];

beforeAll(async () => {
  buildCli();
  await ensureNamespace(systemNamespace);
  receiver = await FakeWebhookReceiver.start();
});
afterEach(async () => {
  for (const replica of replicas.splice(0)) {
    replica.kill('SIGKILL');
    await replica.exited;
  }
});
afterAll(() => receiver?.close());

/** Two replicas on one Lease; resolves with the leader (ready, holding the Lease) and the standby. */
async function startPair(
  test: string,
): Promise<{ setup: ReplicaSetup; leader: Replica; standby: Replica }> {
  const setup: ReplicaSetup = {
    namespace: `e2e-ha-${test}`,
    systemNamespace,
    leaseName: `keventer-${test}`,
    webhookUrl: `${receiver.url}/${test}`,
    maxEvents: MAX_EVENTS,
  };
  await ensureNamespace(setup.namespace);
  const config = writeConfig(setup);
  const pair = [new Replica(`${test}-a`, config), new Replica(`${test}-b`, config)];
  replicas.push(...pair);
  const logs = () => pair.map((r) => `${r.name}:\n${r.messages()}`).join('\n');
  let leader: Replica | undefined;
  await waitForAsync(
    async () => {
      const holder = await holderOf(systemNamespace, setup.leaseName);
      leader = pair.find((r) => r.identity === holder);
      return leader !== undefined && (await leader.leading());
    },
    // Two Node processes loading every sink package: slow on a busy 2-core machine.
    60_000,
    logs,
  );
  const standby = pair.find((r) => r !== leader) as Replica;
  // A healthy standby is ready (or a 2-replica rollout never completes), and says it does not lead.
  await waitForAsync(
    async () => (await standby.readyz()) === 200 && (await standby.leaderGauge()) === 0,
    30_000,
    logs,
  );
  return { setup, leader: leader as Replica, standby };
}

/** The messages the receiver got on the test's path, in order. */
function received(test: string): string[] {
  return receiver.accepted
    .filter((r) => r.path === `/${test}`)
    .flatMap((r) => r.events.map((e) => (e as { EventMessage: string }).EventMessage));
}

function duplicatesOf(messages: string[]): number {
  return messages.length - new Set(messages).size;
}

describe('two keventer replicas with leader election on a real kube-apiserver', () => {
  it('SIGKILL of the leader mid-stream: the standby takes over within the lease duration; nothing lost, at most one batch repeated', async () => {
    const { setup, leader, standby } = await startPair('kill');
    let killedAt = 0;
    const produced = await produceEvents(setup.namespace, TOTAL, PER_SECOND, (i) => {
      if (i === TOTAL / 3) {
        leader.kill('SIGKILL');
        killedAt = Date.now();
      }
    });
    expect((await leader.exited).signal).toBe('SIGKILL');
    await waitForAsync(
      async () => (await holderOf(systemNamespace, setup.leaseName)) === standby.identity,
      LEASE.leaseDurationSeconds * 1000 * 3,
      () => standby.messages(),
    );
    const tookOverAt = Number(
      new Date(String(standby.lines.find((l) => l.msg === 'became the leader')?.time ?? 0)),
    );
    await waitForAsync(
      async () => new Set(received('kill')).size >= TOTAL,
      30_000,
      () => `received ${new Set(received('kill')).size} of ${TOTAL}\n${standby.messages()}`,
    );
    // Anything late would arrive within a batch timeout or two.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const got = received('kill');
    expect(produced.filter((m) => !got.includes(m))).toEqual([]);
    expect(duplicatesOf(got)).toBeLessThanOrEqual(MAX_EVENTS);
    const takeoverMs = tookOverAt - killedAt;
    // client-go's bound: the standby sees the last renewal within a (jittered) retry period, waits a
    // lease duration from then, and takes the Lease on its next try.
    expect(takeoverMs).toBeLessThanOrEqual(
      (LEASE.leaseDurationSeconds + 2 * LEASE.retryPeriodSeconds * 1.2) * 1000 + 500,
    );
    console.log(
      `SIGKILL: took over after ${takeoverMs} ms; ${duplicatesOf(got)} duplicates of ${TOTAL}`,
    );
  });

  it('SIGTERM of the leader: it drains, saves, releases; the standby takes over at once; nothing lost or repeated', async () => {
    const { setup, leader, standby } = await startPair('term');
    let stoppedAt = 0;
    const produced = await produceEvents(setup.namespace, TOTAL, PER_SECOND, (i) => {
      if (i === TOTAL / 3) {
        leader.kill('SIGTERM');
        stoppedAt = Date.now();
      }
    });
    expect(await leader.exited).toEqual({ code: 0, signal: null });
    expect(leader.lines.some((l) => l.msg === 'released the Lease')).toBe(true);
    await waitForAsync(
      async () => new Set(received('term')).size >= TOTAL,
      30_000,
      () => `received ${new Set(received('term')).size} of ${TOTAL}\n${standby.messages()}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const got = received('term');
    expect(produced.filter((m) => !got.includes(m))).toEqual([]);
    expect(duplicatesOf(got)).toBe(0);
    const tookOverAt = Number(
      new Date(String(standby.lines.find((l) => l.msg === 'became the leader')?.time ?? 0)),
    );
    // Released: well under the 3 s lease (the drain, then the standby's next try).
    expect(tookOverAt - stoppedAt).toBeLessThan(LEASE.leaseDurationSeconds * 1000);
    console.log(`SIGTERM: took over after ${tookOverAt - stoppedAt} ms; 0 duplicates of ${TOTAL}`);
  });

  it('an apiserver outage: the leader stops at its renew deadline, one replica leads after the restart, nothing is lost', async () => {
    const { setup, leader } = await startPair('outage');
    const before = await produceEvents(setup.namespace, 60, PER_SECOND, () => {}, 'before');
    await waitForAsync(
      async () => new Set(received('outage')).size >= before.length,
      15_000,
      () => leader.messages(),
    );
    ctl('stop-apiserver');
    const downAt = Date.now();
    await waitForAsync(
      async () => leader.lines.some((l) => String(l.msg).startsWith('lost leadership')),
      (LEASE.renewDeadlineSeconds + 2) * 1000,
      () => leader.messages(),
    );
    // Stopped within its renew deadline (plus a retry) of the apiserver going away.
    const lostAt = Number(
      new Date(String(leader.lines.find((l) => String(l.msg).startsWith('lost leadership'))?.time)),
    );
    expect(lostAt - downAt).toBeLessThan(
      (LEASE.renewDeadlineSeconds + LEASE.retryPeriodSeconds) * 1000 + 500,
    );
    ctl('start-apiserver');
    const pair = replicas.slice(-2);
    await waitForAsync(
      async () => {
        const holder = await holderOf(systemNamespace, setup.leaseName);
        const next = pair.find((r) => r.identity === holder);
        return next !== undefined && (await next.leading());
      },
      30_000,
      () => pair.map((r) => r.messages()).join('\n'),
    );
    const after = await produceEvents(setup.namespace, 60, PER_SECOND, () => {}, 'after');
    const all = [...before, ...after];
    await waitForAsync(
      async () => new Set(received('outage')).size >= all.length,
      30_000,
      () => `received ${new Set(received('outage')).size} of ${all.length}`,
    );
    const got = received('outage');
    expect(all.filter((m) => !got.includes(m))).toEqual([]);
    expect(duplicatesOf(got)).toBeLessThanOrEqual(MAX_EVENTS);
  });
});
