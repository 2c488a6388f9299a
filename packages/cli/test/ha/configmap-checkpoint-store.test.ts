import { gunzipSync } from 'node:zlib';
import type { Checkpoint } from '@keventer/core';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_KEY, ConfigMapCheckpointStore, NotLeaderError } from '../../src/ha/index.js';
import { fakeCluster, NAMESPACE } from './support.js';

function checkpoint(resourceVersion: string, seen = 3): Checkpoint {
  return {
    version: 1,
    resourceVersion,
    seen: Array.from(
      { length: seen },
      (_, i) => [`uid-${i}`, i + 1, 1_700_000_000_000 + i] as const,
    ),
    scope: 'core/v1 all namespaces',
    savedAt: new Date().toISOString(),
  };
}

describe('ConfigMapCheckpointStore on the fake API server', () => {
  it('loads nothing at first, then what it saved: gzipped JSON in binaryData, with its writer', async () => {
    const { server, configMaps } = await fakeCluster();
    const store = new ConfigMapCheckpointStore(configMaps, { namespace: NAMESPACE, writer: 'a' });
    expect(await store.load()).toBeUndefined();
    await store.save(checkpoint('100'));
    await store.save(checkpoint('120'));
    expect(server.configMaps.writes.map((w) => w.verb)).toEqual(['create', 'update']);
    const stored = server.configMaps.get(NAMESPACE, 'keventer-checkpoint');
    expect(stored?.metadata.annotations?.['keventer.io/written-by']).toBe('a');
    const raw = stored?.binaryData?.[CHECKPOINT_KEY] ?? '';
    expect(JSON.parse(gunzipSync(Buffer.from(raw, 'base64')).toString()).resourceVersion).toBe(
      '120',
    );

    const successor = new ConfigMapCheckpointStore(configMaps, {
      namespace: NAMESPACE,
      writer: 'b',
    });
    const saved = checkpoint('120');
    expect({ ...(await successor.load()), savedAt: saved.savedAt }).toEqual(
      JSON.parse(JSON.stringify(saved)),
    );
  });

  it("holds core's default 20,000 seen occurrences within the ConfigMap limit", async () => {
    const { configMaps } = await fakeCluster();
    const store = new ConfigMapCheckpointStore(configMaps, { namespace: NAMESPACE, writer: 'a' });
    const big: Checkpoint = {
      ...checkpoint('5'),
      seen: Array.from(
        { length: 20_000 },
        (_, i) => [crypto.randomUUID(), 1 + (i % 9), 1_700_000_000_000 + i * 37] as const,
      ),
    };
    await store.save(big);
    expect((await store.load())?.seen).toHaveLength(20_000);
  });

  it('a deposed leader cannot overwrite its successor: refused by the fence, and by resourceVersion', async () => {
    const { server, configMaps } = await fakeCluster();
    let oldLeads = true;
    const old = new ConfigMapCheckpointStore(configMaps, {
      namespace: NAMESPACE,
      writer: 'old',
      mayWrite: () => oldLeads,
    });
    await old.save(checkpoint('100'));

    // The successor loads and saves its progress; the old one is deposed.
    oldLeads = false;
    const successor = new ConfigMapCheckpointStore(configMaps, {
      namespace: NAMESPACE,
      writer: 'new',
    });
    expect((await successor.load())?.resourceVersion).toBe('100');
    await successor.save(checkpoint('200'));
    await expect(old.save(checkpoint('150'))).rejects.toThrow(NotLeaderError);

    // A save the old leader sent while it still led, arriving late: the stale resourceVersion is refused (409),
    // and it gives up because it no longer leads.
    let checks = 0;
    const late = new ConfigMapCheckpointStore(configMaps, {
      namespace: NAMESPACE,
      writer: 'old',
      mayWrite: () => checks++ === 0,
    });
    await late.load(); // rv of '200'
    await successor.save(checkpoint('250'));
    await expect(late.save(checkpoint('160'))).rejects.toThrow(NotLeaderError);
    expect((await successor.load())?.resourceVersion).toBe('250');
    expect(
      server.configMaps.writes.at(-1)?.configMap.metadata.annotations?.['keventer.io/written-by'],
    ).toBe('new');
  });

  it('the leader overwrites a late save of its predecessor (re-reads after 409) and keeps going', async () => {
    const { configMaps } = await fakeCluster();
    const leader = new ConfigMapCheckpointStore(configMaps, {
      namespace: NAMESPACE,
      writer: 'new',
    });
    const predecessor = new ConfigMapCheckpointStore(configMaps, {
      namespace: NAMESPACE,
      writer: 'old',
    });
    await predecessor.save(checkpoint('100'));
    expect((await leader.load())?.resourceVersion).toBe('100');
    await predecessor.save(checkpoint('110')); // in flight when it was deposed
    await leader.save(checkpoint('105'));
    expect((await leader.load())?.resourceVersion).toBe('105');
  });

  it('says what failed without the token, and refuses a ConfigMap that holds something else', async () => {
    const { server, configMaps } = await fakeCluster();
    server.faults.failRequests({ status: 403, kind: 'any' });
    const store = new ConfigMapCheckpointStore(configMaps, { namespace: NAMESPACE, writer: 'a' });
    const failure = await store.save(checkpoint('1')).catch((error: Error) => error);
    expect(String(failure)).toMatch(
      /saving the checkpoint to ConfigMap keventer-system\/keventer-checkpoint failed: HTTP 403/,
    );
    expect(String(failure)).not.toContain('the-token');

    server.configMaps.apply(
      NAMESPACE,
      'keventer-checkpoint',
      {},
      { binaryData: { [CHECKPOINT_KEY]: Buffer.from('not gzip').toString('base64') } },
    );
    await expect(store.load()).rejects.toThrow(
      /holds no readable checkpoint .*delete it to start afresh/,
    );
  });
});
