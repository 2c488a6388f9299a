import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryCheckpointStore } from '../../core/src/index.js';
import {
  createEvent,
  ctl,
  deleteEvent,
  ensureNamespace,
  expectExactly,
  idOf,
  recurEvent,
  relabelEvent,
  runStream,
} from './support.js';

const namespace = 'e2e';
const later = (seconds: number) => new Date(Date.now() + seconds * 1000);

describe('EventStream on a real kube-apiserver', () => {
  beforeAll(() => ensureNamespace(namespace));

  it('emits every occurrence once: creates, recurrences; not relabels or deletes', async () => {
    const run = runStream();
    await run.until(() => run.stream.state.phase === 'watching');
    const expected: string[] = [];
    const created = [];
    for (let i = 0; i < 10; i++) created.push(await createEvent(namespace, `web-${i}`));
    expected.push(...created.map(idOf));
    for (const event of created.slice(0, 5)) {
      expected.push(idOf(await recurEvent(event, later(1))));
      expected.push(idOf(await recurEvent(event, later(2))));
    }
    for (const event of created.slice(5, 8)) await relabelEvent(event);
    for (const event of created.slice(8)) await deleteEvent(event);
    await expectExactly(run, expected);
    // The relabels and deletes come after the last expected occurrence: wait for them.
    await run.until(() => run.stream.stats.deleted === 2);
    expect(run.stream.stats.repeats).toBe(3);
    await run.stop();
  });

  it('reads the same occurrences through events.k8s.io/v1', async () => {
    const run = runStream({ apiGroup: 'events.k8s.io/v1', namespace });
    await run.until(() => run.stream.state.phase === 'watching');
    const event = await createEvent(namespace, 'api-1', 'Unhealthy');
    const expected = [idOf(event), idOf(await recurEvent(event, later(1)))];
    await expectExactly(run, expected);
    expect(run.events[0]).toMatchObject({
      apiGroup: 'events.k8s.io/v1',
      reason: 'Unhealthy',
      involvedObject: { kind: 'Pod', name: 'api-1', namespace },
      host: 'node-e2e',
    });
    expect(run.events[1]?.count).toBe(2);
    await run.stop();
  });

  it('loses and repeats nothing across an apiserver restart', async () => {
    const run = runStream();
    await run.until(() => run.stream.state.phase === 'watching');
    const first = await createEvent(namespace, 'restart-a');
    const expected = [idOf(first)];
    await run.until(() => run.ids.length === 1);
    ctl('restart-apiserver');
    expected.push(idOf(await recurEvent(first, later(1))));
    for (let i = 0; i < 5; i++) expected.push(idOf(await createEvent(namespace, `restart-b${i}`)));
    await expectExactly(run, expected);
    expect(run.stream.stats.reconnects).toBeGreaterThanOrEqual(1);
    await run.stop();
  });

  it('resumes from a checkpoint across a 410 with nothing lost or repeated', async () => {
    const checkpoint = new MemoryCheckpointStore();
    const first = runStream({ checkpoint });
    await first.until(() => first.stream.state.phase === 'watching');
    const known = await createEvent(namespace, 'gone-a');
    await first.until(() => first.ids.length === 1);
    await first.stop();

    // While the forwarder is down: new occurrences, then history the saved position needs is compacted away.
    const expected = [idOf(await recurEvent(known, later(1)))];
    for (let i = 0; i < 5; i++) expected.push(idOf(await createEvent(namespace, `gone-b${i}`)));
    ctl('compact');
    ctl('restart-apiserver');

    const second = runStream({ checkpoint });
    await expectExactly(second, expected);
    expect(second.stream.stats.relists).toBe(1);
    await second.stop();
  });
});
