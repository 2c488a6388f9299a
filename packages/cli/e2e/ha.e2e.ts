// High availability on a real kube-apiserver: two `keventer` processes with
// leader election and the checkpoint in a ConfigMap, a webhook sink into a
// receiver, Events created all along. Killing the leader (SIGKILL) hands over
// within the lease duration with nothing lost and at most one batch repeated;
// stopping it (SIGTERM) hands over at once with nothing repeated.

import { FakeWebhookReceiver } from '@keventer/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureNamespace } from '../../integration/e2e/support.js';
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
      return leader !== undefined && (await leader.ready());
    },
    20_000,
    logs,
  );
  const standby = pair.find((r) => r !== leader) as Replica;
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
    expect(takeoverMs).toBeLessThanOrEqual(
      (LEASE.leaseDurationSeconds + LEASE.retryPeriodSeconds * 1.2) * 1000 + 500,
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
});
