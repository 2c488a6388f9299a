import { waitFor } from '@keventer/testing';
import { describe, expect, it } from 'vitest';
import { LeaderElector } from '../../src/ha/index.js';
import { cuttable, FAST, fakeCluster, NAMESPACE, WorkLog } from './support.js';

const MICRO = /\.\d{6}Z$/;

describe('LeaderElector on the fake API server', () => {
  it('creates the Lease, renews it with six-digit MicroTimes, and releases it when stopped', async () => {
    const { server, leases } = await fakeCluster();
    const elector = new LeaderElector(leases, { namespace: NAMESPACE, identity: 'a', ...FAST });
    const log = new WorkLog();
    const stop = new AbortController();
    const leading = elector.lead(log.work('a'), stop.signal);
    await waitFor(() => log.working().includes('a'));
    expect(elector.holds()).toBe(true);
    const created = server.leases.get(NAMESPACE, 'keventer');
    expect(created?.spec).toMatchObject({
      holderIdentity: 'a',
      leaseDurationSeconds: 2,
      leaseTransitions: 0,
    });
    expect(created?.spec.renewTime).toMatch(MICRO);
    await waitFor(() => server.leases.writes.length >= 3, { timeoutMs: 3000 });
    const renewals = server.leases.writes.map((w) => w.lease.spec.renewTime);
    expect(new Set(renewals).size).toBe(renewals.length);

    stop.abort();
    await leading;
    expect(log.spans[0]?.reason).toBe('stopping');
    expect(server.leases.get(NAMESPACE, 'keventer')?.spec).toMatchObject({
      holderIdentity: '',
      leaseDurationSeconds: 1,
    });
    expect(elector.holds()).toBe(false);
  });

  it('keeps a second replica waiting while the first renews, and hands over at once on release', async () => {
    const { server, leases } = await fakeCluster();
    const log = new WorkLog();
    const a = new LeaderElector(leases, { namespace: NAMESPACE, identity: 'a', ...FAST });
    const b = new LeaderElector(leases, { namespace: NAMESPACE, identity: 'b', ...FAST });
    const stopA = new AbortController();
    const stopB = new AbortController();
    const leadingA = a.lead(log.work('a'), stopA.signal);
    await waitFor(() => log.working().includes('a'));
    const leadingB = b.lead(log.work('b'), stopB.signal);
    // Two lease durations: b must never take a Lease that a keeps renewing.
    await new Promise((resolve) => setTimeout(resolve, 2 * FAST.leaseDurationMs));
    expect(log.working()).toEqual(['a']);

    const releasedAt = Date.now();
    stopA.abort();
    await leadingA;
    await waitFor(() => log.working().includes('b'), { timeoutMs: 3000 });
    // Released: b takes it on its next try, not after the 2 s lease.
    expect(Date.now() - releasedAt).toBeLessThan(FAST.retryPeriodMs * 1.2 + 700);
    expect(server.leases.get(NAMESPACE, 'keventer')?.spec).toMatchObject({
      holderIdentity: 'b',
      leaseTransitions: 1,
    });
    expect(log.overlaps()).toEqual([]);
    stopB.abort();
    await leadingB;
  });

  it('a leader cut off from the apiserver stops working before its Lease expires for the others', async () => {
    const { leases } = await fakeCluster();
    const log = new WorkLog();
    const cut = cuttable(leases);
    const a = new LeaderElector(cut.api, { namespace: NAMESPACE, identity: 'a', ...FAST });
    const b = new LeaderElector(leases, { namespace: NAMESPACE, identity: 'b', ...FAST });
    const stop = new AbortController();
    const leadingA = a.lead(log.work('a'), stop.signal);
    await waitFor(() => log.working().includes('a'));
    const leadingB = b.lead(log.work('b'), stop.signal);
    await new Promise((resolve) => setTimeout(resolve, FAST.retryPeriodMs * 2));

    cut.state.down = true;
    const cutAt = Date.now();
    await waitFor(() => log.spans.some((s) => s.who === 'b'), { timeoutMs: 6000 });
    const spanA = log.spans.find((s) => s.who === 'a');
    const spanB = log.spans.find((s) => s.who === 'b');
    expect(spanA?.reason).toBe('leadership lost');
    // a stopped within its renew deadline (plus one retry period of slack) ...
    expect((spanA?.stop ?? Infinity) - cutAt).toBeLessThan(
      FAST.renewDeadlineMs + FAST.retryPeriodMs,
    );
    // ... and b started only after a lease duration without renewal.
    expect((spanB?.start ?? 0) - cutAt).toBeGreaterThanOrEqual(
      FAST.leaseDurationMs - FAST.retryPeriodMs,
    );
    expect(log.overlaps()).toEqual([]);

    // a, reconnected, sees b renewing and waits.
    cut.state.down = false;
    await new Promise((resolve) => setTimeout(resolve, FAST.leaseDurationMs));
    expect(log.working()).toEqual(['b']);
    stop.abort();
    await Promise.all([leadingA, leadingB]);
  });

  it('of candidates racing for an expired Lease exactly one wins (resourceVersion guards the update)', async () => {
    const { server, leases } = await fakeCluster();
    // A Lease left by a replica that died: held, but not renewed since.
    server.leases.put(NAMESPACE, 'keventer', {
      holderIdentity: 'dead',
      leaseDurationSeconds: 1,
      renewTime: '2020-01-01T00:00:00.000000Z',
      leaseTransitions: 4,
    });
    const log = new WorkLog();
    const stop = new AbortController();
    const names = ['c1', 'c2', 'c3', 'c4'];
    const running = names.map((who) =>
      new LeaderElector(leases, { namespace: NAMESPACE, identity: who, ...FAST }).lead(
        log.work(who),
        stop.signal,
      ),
    );
    await waitFor(() => log.working().length > 0, { timeoutMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 3 * FAST.retryPeriodMs));
    expect(log.working()).toHaveLength(1);
    expect(server.leases.get(NAMESPACE, 'keventer')?.spec).toMatchObject({
      holderIdentity: log.working()[0],
      leaseTransitions: 5,
    });
    stop.abort();
    await Promise.all(running);
  });

  it('stops at once when another replica is seen holding the Lease', async () => {
    const { server, leases } = await fakeCluster();
    const log = new WorkLog();
    const stop = new AbortController();
    const a = new LeaderElector(leases, { namespace: NAMESPACE, identity: 'a', ...FAST });
    const leading = a.lead(log.work('a'), stop.signal);
    await waitFor(() => log.working().includes('a'));
    server.leases.put(NAMESPACE, 'keventer', {
      holderIdentity: 'intruder',
      leaseDurationSeconds: 30,
      renewTime: '2030-01-01T00:00:00.000000Z',
    });
    await waitFor(() => log.working().length === 0, { timeoutMs: 2 * FAST.retryPeriodMs + 500 });
    expect(log.spans[0]?.reason).toBe('leadership lost');
    expect(server.leases.get(NAMESPACE, 'keventer')?.spec.holderIdentity).toBe('intruder');
    stop.abort();
    await leading;
  });
});

describe('election options', () => {
  it('refuses timings under which two replicas could forward at once, naming the values', () => {
    const make = (o: object) => () => new LeaderElector({} as never, { namespace: 'ns', ...o });
    expect(make({ leaseDurationMs: 10_000, renewDeadlineMs: 10_000 })).toThrow(
      /renewDeadlineMs 10000 must be below leaseDurationMs 10000/,
    );
    expect(make({ renewDeadlineMs: 2000, retryPeriodMs: 2000 })).toThrow(/retryPeriodMs 2000/);
    expect(make({ leaseDurationMs: 1500 })).toThrow(/leaseDurationMs 1500 must be whole seconds/);
    expect(make({ namespace: 'Not_A_Name' })).toThrow(/namespace 'Not_A_Name'/);
  });

  it("defaults to client-go's 15 s / 10 s / 2 s and an identity from POD_NAME", () => {
    process.env.POD_NAME = 'keventer-7d9f-abcde';
    const elector = new LeaderElector({} as never, { namespace: 'ns' });
    delete process.env.POD_NAME;
    expect(elector.options).toMatchObject({
      leaseName: 'keventer',
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
    });
    expect(elector.identity).toMatch(/^keventer-7d9f-abcde_\d+$/);
  });
});
