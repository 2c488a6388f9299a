import { waitFor } from '@keventer/testing';
import { describe, expect, it } from 'vitest';
import { runElected, StillDrainingError } from '../../src/ha/elected-forwarding.js';
import { LeaderElector } from '../../src/ha/index.js';
import { cuttable, FAST, fakeCluster, NAMESPACE } from './support.js';

/** Stands in for the CLI's Forwarding: records starts and stops; a stop drains for `drainMs`. */
function forwardingStub(drainMs = 0) {
  const log: string[] = [];
  let end: (() => void) | undefined;
  return {
    log,
    endOnItsOwn: () => end?.(),
    async start() {
      log.push('start');
      return { done: new Promise<void>((resolve) => (end = resolve)) };
    },
    async stop() {
      log.push('stop');
      await new Promise((resolve) => setTimeout(resolve, drainMs));
      log.push('stopped');
      end?.();
      return undefined;
    },
  };
}

describe('runElected', () => {
  it('on SIGTERM drains, then releases the Lease (checkpoint saved while still leading)', async () => {
    const { server, leases } = await fakeCluster();
    const elector = new LeaderElector(leases, { namespace: NAMESPACE, identity: 'a', ...FAST });
    const forwarding = forwardingStub(500);
    const sigterm = new AbortController();
    const running = runElected(elector, forwarding as never, sigterm.signal);
    await waitFor(() => forwarding.log.includes('start'));
    sigterm.abort();
    await waitFor(() => forwarding.log.includes('stop'));
    // Draining: the Lease is still held (and renewed), so the checkpoint store may write.
    expect(elector.holds()).toBe(true);
    expect(server.leases.get(NAMESPACE, 'keventer')?.spec.holderIdentity).toBe('a');
    await running;
    expect(forwarding.log).toEqual(['start', 'stop', 'stopped']);
    expect(server.leases.get(NAMESPACE, 'keventer')?.spec.holderIdentity).toBe('');
  });

  it('after lost leadership waits as a candidate when the drain ends within the margin', async () => {
    const { leases } = await fakeCluster();
    const cut = cuttable(leases);
    const elector = new LeaderElector(cut.api, { namespace: NAMESPACE, identity: 'a', ...FAST });
    const forwarding = forwardingStub(100);
    const sigterm = new AbortController();
    const running = runElected(elector, forwarding as never, sigterm.signal);
    await waitFor(() => forwarding.log.includes('start'));
    cut.state.down = true;
    await waitFor(() => forwarding.log.includes('stopped'), { timeoutMs: 3000 });
    expect(elector.holds()).toBe(false);
    // Back online, the Lease still names it: it leads again, with a fresh start.
    cut.state.down = false;
    await waitFor(() => forwarding.log.filter((l) => l === 'start').length === 2, {
      timeoutMs: 4000,
    });
    sigterm.abort();
    await running;
  });

  it('throws (the process exits) when a deposed leader is still draining as the Lease may pass on', async () => {
    const { leases } = await fakeCluster();
    const cut = cuttable(leases);
    const elector = new LeaderElector(cut.api, { namespace: NAMESPACE, identity: 'a', ...FAST });
    const forwarding = forwardingStub(FAST.leaseDurationMs * 2);
    const running = runElected(elector, forwarding as never, new AbortController().signal);
    await waitFor(() => forwarding.log.includes('start'));
    const cutAt = Date.now();
    cut.state.down = true;
    await expect(running).rejects.toThrow(StillDrainingError);
    // Within the renew deadline plus the margin: before anyone else can have taken the Lease.
    expect(Date.now() - cutAt).toBeLessThan(FAST.leaseDurationMs + 100);
  });

  it('releases the Lease and fails when forwarding ends on its own', async () => {
    const { server, leases } = await fakeCluster();
    const elector = new LeaderElector(leases, { namespace: NAMESPACE, identity: 'a', ...FAST });
    const forwarding = forwardingStub();
    const running = runElected(elector, forwarding as never, new AbortController().signal);
    await waitFor(() => forwarding.log.includes('start'));
    forwarding.endOnItsOwn();
    await expect(running).rejects.toThrow(/ended on its own/);
    expect(server.leases.get(NAMESPACE, 'keventer')?.spec.holderIdentity).toBe('');
  });

  it('stops, then releases, when SIGTERM comes while the forwarder is still starting', async () => {
    const { server, leases } = await fakeCluster();
    const elector = new LeaderElector(leases, { namespace: NAMESPACE, identity: 'a', ...FAST });
    const forwarding = forwardingStub();
    const sigterm = new AbortController();
    const slowStart = forwarding.start;
    forwarding.start = async () => {
      sigterm.abort(); // arrives while the sinks are being built
      await new Promise((resolve) => setTimeout(resolve, 100));
      return slowStart();
    };
    await runElected(elector, forwarding as never, sigterm.signal);
    expect(forwarding.log).toEqual(['start', 'stop', 'stopped']);
    expect(server.leases.get(NAMESPACE, 'keventer')?.spec.holderIdentity).toBe('');
  });
});
