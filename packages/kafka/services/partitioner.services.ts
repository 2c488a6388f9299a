import { execFile } from 'node:child_process';
import { type KubeEvent, normalizeEvent } from '@keventer/core';
import { buildEvent } from '@keventer/testing';
import { describe, expect, it } from 'vitest';
import { kafka } from '../src/index.js';
import { freshTopic, sharedBrokers, untilConsumed } from './support/cluster.js';

/** Produces `key\tvalue` lines with kcat, partitioned by librdkafka's Java-compatible murmur2. */
function kcatProduce(brokers: string[], topic: string, lines: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'kcat',
      ['-P', '-b', brokers.join(','), '-t', topic, '-K', '\t', '-X', 'partitioner=murmur2_random'],
      { timeout: 30_000 },
      (err) => (err ? reject(err) : resolve()),
    );
    child.stdin?.end(`${lines.join('\n')}\n`);
  });
}

describe("the sink's partitioner on a real cluster", () => {
  it("puts each key on the partition librdkafka's Java-compatible murmur2 puts it", async () => {
    const brokers = sharedBrokers();
    const names = Array.from({ length: 200 }, (_, i) =>
      i % 4 === 0
        ? `web-${i}`
        : i % 4 === 1
          ? `数据库-${i}`
          : i % 4 === 2
            ? `é${i}😀`
            : `x`.repeat(i),
    );
    const events: KubeEvent[] = names.map((name, i) =>
      normalizeEvent(
        buildEvent({
          metadata: { uid: `p-${i}` },
          involvedObject: { kind: 'Pod', namespace: `ns-${i % 5}`, name, uid: `o-${i}` },
        }),
      ),
    );
    const ours = freshTopic('partition-ours');
    const sink = await kafka({ brokers, eventstopic: ours });
    try {
      await sink.write(events, { signal: new AbortController().signal });
    } finally {
      await sink.close?.();
    }
    const theirs = freshTopic('partition-kcat');
    const keys = events.map((e) => `Pod/${e.involvedObject.namespace}/${e.involvedObject.name}`);
    await kcatProduce(
      brokers,
      theirs,
      keys.map((key) => `${key}\tv`),
    );

    const where = async (topic: string) =>
      new Map((await untilConsumed(brokers, topic, keys.length)).map((m) => [m.key, m.partition]));
    const [oursAt, theirsAt] = await Promise.all([where(ours), where(theirs)]);
    expect(new Set(oursAt.values()).size).toBeGreaterThan(1);
    expect(oursAt.size).toBe(keys.length);
    expect(Object.fromEntries(oursAt)).toEqual(Object.fromEntries(theirsAt));
  }, 60_000);
});
