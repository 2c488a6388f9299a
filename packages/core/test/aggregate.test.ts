import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Aggregator } from '../src/aggregate/aggregator.js';
import { type DigestEvent, isDigest } from '../src/aggregate/digest.js';
import { aggregateKey, ownerName } from '../src/aggregate/keys.js';
import type { KubeEvent } from '../src/event/model.js';
import { kubeEvent } from './support/kube-event.js';

describe('ownerName', () => {
  it.each([
    ['Pod', 'web-7d4b9c8f6d-x2x9k', 'web'],
    ['Pod', 'node-agent-x2x9k', 'node-agent'],
    ['Pod', 'db-0', 'db-0'],
    ['Pod', 'my-app', 'my-app'],
    ['Pod', 'api-v2-5f6b7c8d9-abcde', 'api-v2-5f6b7c8d9-abcde'], // vowels: not a generated suffix
    ['Node', 'node-x2x9k', 'node-x2x9k'], // only Pods get generated names from an owner
  ])('%s %s → %s', (kind, name, owner) => {
    expect(ownerName(kind, name)).toBe(owner);
  });

  it('keys by namespace, owner and reason', () => {
    const event = kubeEvent({ involvedObject: { name: 'web-7d4b9c8f6d-x2x9k' } });
    expect(aggregateKey(event, 'owner')).toBe('shop/Pod:web/BackOff');
    expect(aggregateKey(event, 'object')).toBe('shop/Pod:web-7d4b9c8f6d-x2x9k/BackOff');
  });
});

describe('Aggregator', () => {
  let out: KubeEvent[];
  const make = (windowMs = 1000, maxEvents = 100) =>
    new Aggregator({
      windowMs,
      by: 'owner',
      maxEvents,
      emit: (event) => {
        out.push(event);
        return undefined;
      },
    });
  const crash = (pod: string, second: number) =>
    kubeEvent({
      uid: pod,
      involvedObject: { name: pod },
      message: `restart ${second}`,
      lastTimestamp: `2026-11-27T10:00:${String(second).padStart(2, '0')}Z`,
    });
  const digests = () => out.filter(isDigest);

  beforeEach(() => {
    out = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('sends the first occurrence at once and its repeats as one digest when the window closes', async () => {
    const aggregator = make();
    aggregator.offer(crash('web-7d4b9c8f6d-x2x9k', 1));
    expect(out).toHaveLength(1);
    aggregator.offer(crash('web-7d4b9c8f6d-b7kq2', 2));
    aggregator.offer(crash('web-7d4b9c8f6d-x2x9k', 3));
    aggregator.offer(crash('web-7d4b9c8f6d-zz4mp', 4));
    expect(out).toHaveLength(1);
    expect(aggregator.held).toBe(3);
    await vi.advanceTimersByTimeAsync(1000);
    expect(out).toHaveLength(2);
    const digest = out[1] as DigestEvent;
    expect(isDigest(digest)).toBe(true);
    expect(digest.digest).toMatchObject({
      key: 'shop/Pod:web/BackOff',
      count: 3,
      firstTimestamp: '2026-11-27T10:00:02Z',
      lastTimestamp: '2026-11-27T10:00:04Z',
      objects: [
        'Pod shop/web-7d4b9c8f6d-b7kq2',
        'Pod shop/web-7d4b9c8f6d-x2x9k',
        'Pod shop/web-7d4b9c8f6d-zz4mp',
      ],
      moreObjects: 0,
      windowMs: 1000,
    });
    expect(digest.message).toBe('restart 2');
    expect(digest.digest.last.message).toBe('restart 4');
    expect(aggregator.membersOf(digest)?.map((e) => e.message)).toEqual([
      'restart 2',
      'restart 3',
      'restart 4',
    ]);
    expect(aggregator.held).toBe(0);
    expect(aggregator.stats).toEqual({ aggregated: 3, digests: 1 });
  });

  it('keeps digesting while a key repeats, and lets it through at once after a quiet window', async () => {
    const aggregator = make();
    aggregator.offer(crash('web-1', 1)); // plain
    aggregator.offer(crash('web-1', 2));
    await vi.advanceTimersByTimeAsync(1000); // digest of 1
    aggregator.offer(crash('web-1', 3)); // still repeating: held for the next digest
    expect(out).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1000); // digest of 1
    await vi.advanceTimersByTimeAsync(1000); // a quiet window closes
    aggregator.offer(crash('web-1', 9)); // goes out at once
    expect(out.map((e) => (isDigest(e) ? `digest ${e.digest.count}` : e.message))).toEqual([
      'restart 1',
      'digest 1',
      'digest 1',
      'restart 9',
    ]);
  });

  it('a lone occurrence makes no digest', async () => {
    const aggregator = make();
    aggregator.offer(crash('web-1', 1));
    await vi.advanceTimersByTimeAsync(5000);
    expect(out).toHaveLength(1);
    expect(digests()).toHaveLength(0);
  });

  it('keeps keys apart', async () => {
    const aggregator = make();
    aggregator.offer(crash('web-1', 1));
    aggregator.offer(kubeEvent({ reason: 'Unhealthy', involvedObject: { name: 'web-1' } }));
    aggregator.offer(kubeEvent({ namespace: 'other', involvedObject: { name: 'web-1' } }));
    expect(out).toHaveLength(3);
  });

  it('closes the oldest window early when too much is held, losing nothing', async () => {
    const aggregator = make(60_000, 3);
    aggregator.offer(crash('a-1', 1));
    aggregator.offer(crash('b-1', 1));
    for (let i = 2; i <= 4; i++) aggregator.offer(crash('a-1', i)); // a holds 3
    expect(digests()).toHaveLength(0);
    await aggregator.offer(crash('b-1', 2)); // 4 held > 3: a's window goes out
    expect(digests().map((d) => [d.digest.key, d.digest.count])).toEqual([
      ['shop/Pod:a-1/BackOff', 3],
    ]);
    expect(aggregator.held).toBe(1);
  });

  it('flush sends every open window now', async () => {
    const aggregator = make(60_000);
    aggregator.offer(crash('a-1', 1));
    aggregator.offer(crash('a-1', 2));
    aggregator.offer(crash('b-1', 1));
    aggregator.offer(crash('b-1', 2));
    aggregator.offer(crash('b-1', 3));
    await aggregator.flush();
    expect(digests().map((d) => d.digest.count)).toEqual([1, 2]);
    expect(aggregator.held).toBe(0);
  });

  it('lists at most 10 objects and counts the rest', async () => {
    const grouped = new Aggregator({
      windowMs: 1000,
      by: 'owner',
      maxEvents: 100,
      key: () => 'all',
      emit: (event) => {
        out.push(event);
        return undefined;
      },
    });
    grouped.offer(crash('web-0', 0));
    for (let i = 1; i <= 25; i++) grouped.offer(crash(`web-${i}`, i));
    await grouped.flush();
    const [digest] = digests();
    expect(digest?.digest.objects).toHaveLength(10);
    expect(digest?.digest.moreObjects).toBe(15);
    expect(digest?.digest.count).toBe(25);
  });

  it('waits for room downstream before the next closing (backpressure)', async () => {
    let release: () => void = () => {};
    const aggregator = new Aggregator({
      windowMs: 1000,
      by: 'owner',
      maxEvents: 1,
      emit: (event) => {
        out.push(event);
        return isDigest(event)
          ? new Promise<void>((resolve) => {
              release = resolve;
            })
          : undefined;
      },
    });
    aggregator.offer(crash('a-1', 1));
    aggregator.offer(crash('a-1', 2));
    let done = false;
    void aggregator.offer(crash('a-1', 3))?.then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(false);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(true);
  });
});
