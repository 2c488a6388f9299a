import { buildEvent, startForwarding, waitFor } from '@keventer/testing';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { createDedup } from '../../core/src/dedup/index.js';
import type { RouteOptions } from '../../core/src/delivery/route.js';
import type { KubeEvent } from '../../core/src/event/model.js';
import type { Logger } from '../../core/src/logger.js';
import { permanentError } from '../../core/src/sink/contract/errors.js';
import type { Sink } from '../../core/src/sink/contract/sink.js';

// User code (hooks, filters, key functions, the logger) that throws must
// neither stop a route nor leave an unhandled rejection: each test delivers
// an event after the throw and checks that the process saw no rejection.
let unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled = [];
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

/** Keeps the names of the objects it delivers; refuses (permanently) objects named `bad-*`. */
function sink(): Sink & { names: string[] } {
  const names: string[] = [];
  return {
    name: 'hook',
    names,
    async write(batch: readonly KubeEvent[]) {
      if (batch.some((e) => e.involvedObject.name.startsWith('bad'))) {
        throw permanentError('hook', 'HTTP 400 rejected');
      }
      names.push(...batch.map((e) => e.involvedObject.name));
    },
  };
}

/** Errors logged, as `<msg> <fields>` lines. */
function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  const none = () => {};
  return {
    errors,
    debug: none,
    info: none,
    warn: none,
    error: (obj, msg) => errors.push(`${msg} ${JSON.stringify(obj)}`),
  };
}

const fast = { batch: { maxEvents: 1, timeoutMs: 0 }, buffer: { maxEvents: 2 } };
const pod = (name: string, reason = 'BackOff') =>
  buildEvent({ reason, involvedObject: { kind: 'Pod', namespace: 'shop', name } });

async function forward(route: Omit<RouteOptions, 'sink'>, logger?: Logger) {
  const target = sink();
  const forwarding = await startForwarding([{ sink: target, delivery: fast, ...route }], {
    registerCleanup: onTestFinished,
    ...(logger ? { logger } : {}),
  });
  const metrics = () => forwarding.forwarder.metrics().routes[0];
  return { ...forwarding, target, metrics };
}

/** Lets pending rejections surface as `unhandledRejection` before asserting there were none. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('a throwing user callback does not stop its route', () => {
  for (const kind of ['throws', 'rejects'] as const) {
    it(`onDeadLetter that ${kind}: counted, logged, later events still delivered`, async () => {
      const logger = recordingLogger();
      const onDeadLetter =
        kind === 'throws'
          ? () => {
              throw new Error('hook broke: token=s3cr3t');
            }
          : async () => {
              throw new Error('hook broke: token=s3cr3t');
            };
      const { api, target, metrics, stop } = await forward({ onDeadLetter }, logger);
      api.createEvent(pod('bad-1'));
      await waitFor(() => metrics()?.deadLettered === 1);
      // More than the buffer holds: a dead worker would block these offers for good.
      for (let i = 0; i < 5; i++) api.createEvent(pod(`good-${i}`));
      await waitFor(() => target.names.length === 5, { what: () => `${target.names}` });
      const report = await stop();
      await settle();
      expect(unhandled).toEqual([]);
      expect(report.routes.hook).toMatchObject({ deadLettered: 1, sent: 5 });
      expect(metrics()?.callbackErrors.onDeadLetter).toBe(1);
      expect(report.undelivered).toBe(0);
      const line = logger.errors.find((l) => l.startsWith('onDeadLetter threw'));
      expect(line).toContain('"callback":"onDeadLetter","errors":1');
      expect(line).toContain('hook broke');
      expect(logger.errors.join('\n')).not.toContain('s3cr3t');
    });
  }

  it('a filter that throws passes the event on (counted, logged once per burst)', async () => {
    const logger = recordingLogger();
    const filter = (event: KubeEvent) => {
      if (event.involvedObject.name.startsWith('odd')) throw new TypeError('no labels');
      return event.involvedObject.name !== 'skip';
    };
    const { api, target, metrics, stop } = await forward({ filter }, logger);
    for (const name of ['odd-1', 'skip', 'odd-2', 'plain']) api.createEvent(pod(name));
    await waitFor(() => target.names.length === 3);
    const report = await stop();
    await settle();
    expect(unhandled).toEqual([]);
    expect(new Set(target.names)).toEqual(new Set(['odd-1', 'odd-2', 'plain']));
    expect(report.routes.hook).toMatchObject({ received: 4, filtered: 1, sent: 3 });
    expect(metrics()?.callbackErrors).toMatchObject({ filter: 2, onDeadLetter: 0, logger: 0 });
    const lines = logger.errors.filter((l) => l.includes('"callback":"filter"'));
    expect(lines.reduce((n, l) => n + Number(/"errors":(\d+)/.exec(l)?.[1]), 0)).toBe(2);
    expect(lines[0]).toMatch(/^the route filter threw: the event was passed on .*no labels/);
  });

  it("a dedup whose key throws passes the event on; the sink's filter is guarded too", async () => {
    const dedup = createDedup({
      mode: 'cooldown',
      windowMs: 60_000,
      key: (event) => {
        if (event.reason === 'Odd') throw new Error('no key');
        return event.reason;
      },
    });
    const target = sink();
    const guarded: Sink = {
      ...target,
      filter: (event) => {
        if (event.involvedObject.name === 'weird') throw new Error('sink filter broke');
        return true;
      },
    };
    const { api, forwarder, stop } = await startForwarding(
      [{ sink: guarded, dedup, delivery: fast }],
      { registerCleanup: onTestFinished },
    );
    api.createEvent(pod('a', 'BackOff'));
    api.createEvent(pod('b', 'BackOff')); // a duplicate within the cooldown
    api.createEvent(pod('c', 'Odd'));
    api.createEvent(pod('weird', 'Pulled'));
    await waitFor(() => target.names.length === 3);
    const report = await stop();
    await settle();
    expect(unhandled).toEqual([]);
    expect(new Set(target.names)).toEqual(new Set(['a', 'c', 'weird']));
    expect(report.routes.hook).toMatchObject({ deduplicated: 1, sent: 3 });
    expect(forwarder.metrics().routes[0]?.callbackErrors).toMatchObject({
      dedup: 1,
      sinkFilter: 1,
    });
  });

  it('an aggregateKey that throws groups by aggregate.by instead', async () => {
    const aggregateKey = (event: KubeEvent) => {
      if (event.reason === 'Odd') throw new Error('no owner');
      return event.reason;
    };
    const { api, target, metrics, stop } = await forward({
      aggregateKey,
      delivery: { ...fast, aggregate: { windowMs: 60_000 } },
    });
    api.createEvent(pod('web-1', 'Odd'));
    api.createEvent(pod('ok-1'));
    await waitFor(() => target.names.length === 2);
    const report = await stop();
    await settle();
    expect(unhandled).toEqual([]);
    expect(metrics()?.callbackErrors.aggregateKey).toBe(1);
    expect(report.routes.hook).toMatchObject({ received: 2, sent: 2 });
    expect(report.undelivered).toBe(0);
  });

  it('a logger whose every method throws is counted, never called again for its own failure', async () => {
    let calls = 0;
    const throwing = () => {
      calls++;
      throw new Error('log transport closed');
    };
    const logger: Logger = { debug: throwing, info: throwing, warn: throwing, error: throwing };
    const { api, target, metrics, stop } = await forward({}, logger);
    api.createEvent(pod('bad-1')); // gaveUp logs an error
    await waitFor(() => metrics()?.deadLettered === 1);
    api.createEvent(pod('good-1'));
    await waitFor(() => target.names.length === 1);
    const counted = metrics()?.callbackErrors.logger ?? 0;
    expect(counted).toBeGreaterThanOrEqual(2); // 'route started' and 'delivery given up'
    expect(calls).toBe(counted); // one call per line: a failure is never logged through it
    const report = await stop(); // its last line ('forwarder stopped') throws too
    await settle();
    expect(unhandled).toEqual([]);
    expect(report.routes.hook).toMatchObject({ deadLettered: 1, sent: 1 });
  });
});
