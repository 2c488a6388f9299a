import { describe, expect, it } from 'vitest';
import { clusterScenario, playScenario, summarizeScenario } from '../src/index.js';
import { startServer, WatchClient } from './helpers.js';

describe('clusterScenario', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = clusterScenario({ seed: 7 });
    expect(clusterScenario({ seed: 7 })).toEqual(a);
    expect(JSON.stringify(clusterScenario({ seed: 8 }))).not.toBe(JSON.stringify(a));
    expect(a.map((s) => s.atMs)).toEqual([...a.map((s) => s.atMs)].sort((x, y) => x - y));
    expect(a.at(-1)?.atMs).toBeLessThanOrEqual(700_000);
    const squeezed = clusterScenario({ seed: 7, durationMs: 6_000 });
    expect(squeezed.at(-1)?.atMs).toBeLessThanOrEqual(7_000);
  });

  it('tells a realistic story: crash loops recur, scheduling fails, nodes go NotReady, previews are deleted', () => {
    const steps = clusterScenario();
    const summary = summarizeScenario(steps);
    expect(summary.created).toBeGreaterThan(50);
    expect(summary.recurrences).toBeGreaterThan(20);
    expect(summary.deletions).toBeGreaterThan(0);
    expect(summary.occurrences.Warning).toBeGreaterThan(15);
    expect(summary.occurrences.Normal).toBeGreaterThan(summary.occurrences.Warning ?? 0);
    for (const reason of [
      'FailedScheduling',
      'BackOff',
      'OOMKilling',
      'Unhealthy',
      'NodeNotReady',
      'Pulled',
      'Started',
      'ScalingReplicaSet',
    ]) {
      expect(summary.byReason[reason], reason).toBeGreaterThan(0);
    }
    // every recur/delete refers to an event created earlier and not yet deleted
    const live = new Set<string>();
    for (const step of steps) {
      if (step.action === 'create')
        live.add(`${step.event.metadata?.namespace}/${step.event.metadata?.name}`);
      else {
        const key = `${step.ref.namespace}/${step.ref.name}`;
        expect(live.has(key), `${step.action} ${key}`).toBe(true);
        if (step.action === 'delete') live.delete(key);
      }
    }
  });

  it('plays on a server: counts match the summary and the store', async () => {
    const server = await startServer();
    const steps = clusterScenario({ seed: 3 });
    const watch = await WatchClient.open(server, '/api/v1/events?watch=1');
    const summary = await playScenario(server, steps, { speed: Number.POSITIVE_INFINITY });
    expect(summary).toEqual(summarizeScenario(steps));
    expect(server.listEvents()).toHaveLength(summary.created - summary.deletions);
    await watch.until((w) => w.lines.length === steps.length);
    expect(watch.types.filter((t) => t === 'MODIFIED')).toHaveLength(summary.recurrences);
    // the crash-looping BackOff was counted up, kubelet style
    const counts = server
      .listEvents()
      .filter((e) => e.reason === 'BackOff' && e.type === 'Warning')
      .map((e) => Number(e.count));
    expect(Math.max(...counts)).toBeGreaterThanOrEqual(5);
    // the scheduler's FailedScheduling repeats as a series
    const pending = server.listEvents().find((e) => e.reason === 'FailedScheduling');
    expect(Number(pending?.series?.count)).toBeGreaterThanOrEqual(4);
    // timestamps are those of the playback
    const last = Date.parse(
      server.listEvents()[0]?.lastTimestamp ?? server.listEvents()[0]?.eventTime ?? '',
    );
    expect(Math.abs(Date.now() - last)).toBeLessThan(5_000);
  });

  it('waits atMs / speed between steps and stops on abort', async () => {
    const server = await startServer();
    const steps = clusterScenario({ durationMs: 2_000 });
    const started = Date.now();
    const summary = await playScenario(server, steps.slice(0, 30), { speed: 10 });
    const expectedMs = (steps[29]?.atMs ?? 0) / 10;
    expect(Date.now() - started).toBeGreaterThanOrEqual(expectedMs - 5);
    expect(summary.steps).toBe(30);

    const controller = new AbortController();
    const playing = playScenario(await startServer(), steps, {
      speed: 1,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('stop')), 30);
    await expect(playing).rejects.toThrow('stop');
  });
});
