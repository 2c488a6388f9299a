import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeDeliverySettings } from '../src/delivery/settings/describe.js';
import { deliveryProfiles } from '../src/delivery/settings/profiles.js';
import { resolveDeliverySettings } from '../src/delivery/settings/resolve.js';
import type { DeliveryDefaults } from '../src/sink/contract/delivery.js';

const CORE = {
  batch: { maxEvents: 100, maxBytes: 1_000_000, timeoutMs: 1000 },
  buffer: { maxEvents: 10_000, whenFull: 'block' },
  request: {
    concurrency: 1,
    timeoutMs: 30_000,
    rateLimitNum: Infinity,
    rateLimitDurationMs: 1000,
    retryAttempts: Infinity,
    retryInitialBackoffMs: 500,
    retryMaxDurationMs: 300_000,
  },
  aggregate: { windowMs: 0, by: 'owner', maxEvents: 10_000 },
};

// Per setting: values for code, URI (as text and as read) and the sink's
// defaults, all different from each other where the rule allows, and all
// within the invariants whatever the other settings are.
const CASES: ReadonlyArray<[string, unknown, [string, unknown], unknown]> = [
  ['batch.maxEvents', 7, ['8', 8], 9],
  ['batch.maxBytes', 10, ['20', 20], 30],
  ['batch.timeoutMs', 5, ['2s', 2000], 0],
  ['buffer.maxEvents', 200, ['300', 300], 400],
  ['buffer.whenFull', 'dropOldest', ['dropNewest', 'dropNewest'], 'block'],
  ['request.concurrency', 2, ['3', 3], 4],
  ['request.timeoutMs', 1500, ['1m', 60_000], 2500],
  ['request.rateLimitNum', 5, ['6', 6], 7],
  ['request.rateLimitDurationMs', 100, ['1h30m', 5_400_000], 300],
  ['request.retryAttempts', 0, ['unlimited', Infinity], 3],
  ['request.retryInitialBackoffMs', 100, ['250ms', 250], 300],
  ['request.retryMaxDurationMs', 1000, ['2000', 2000], 3000],
  ['aggregate.windowMs', 60_000, ['5m', 300_000], 0],
  ['aggregate.by', 'object', ['owner', 'owner'], 'object'],
  ['aggregate.maxEvents', 100, ['200', 200], 300],
];

function nested(path: string, value: unknown): DeliveryDefaults {
  const [group, field] = path.split('.') as [string, string];
  return { [group]: { [field]: value } } as DeliveryDefaults;
}

function pick(settings: unknown, path: string): unknown {
  const [group, field] = path.split('.') as [string, string];
  return (settings as Record<string, Record<string, unknown>>)[group]?.[field];
}

describe('resolveDeliverySettings: merge', () => {
  it('gives the core defaults when nothing is set', () => {
    expect(resolveDeliverySettings({ sink: 'x' })).toEqual(CORE);
  });

  it('covers every setting in the cases below', () => {
    expect(CASES.map(([path]) => path)).toEqual(describeDeliverySettings().map((r) => r.name));
  });

  describe.each(CASES)('%s', (path, code, [text, read], sink) => {
    const explicit = nested(path, code);
    const uri = { [path]: text };
    const sinkDefaults = nested(path, sink);

    it('code wins over the URI, the sink and core', () => {
      const s = resolveDeliverySettings({ sink: 'x', explicit, uri, sinkDefaults });
      expect(pick(s, path)).toBe(code);
    });
    it('the URI wins over the sink and core', () => {
      expect(pick(resolveDeliverySettings({ sink: 'x', uri, sinkDefaults }), path)).toBe(read);
    });
    it("the sink's defaults win over core", () => {
      expect(pick(resolveDeliverySettings({ sink: 'x', sinkDefaults }), path)).toBe(sink);
    });
    it('core fills it last', () => {
      expect(pick(resolveDeliverySettings({ sink: 'x' }), path)).toBe(pick(CORE, path));
    });
  });

  it('merges per field, not per group', () => {
    const s = resolveDeliverySettings({
      sink: 'x',
      explicit: { batch: { maxEvents: 5 } },
      uri: { 'batch.timeoutMs': '2s' },
      sinkDefaults: { batch: { maxBytes: 10, maxEvents: 50 } },
    });
    expect(s.batch).toEqual({ maxEvents: 5, maxBytes: 10, timeoutMs: 2000 });
    expect(s.request).toEqual(CORE.request);
  });

  it('treats undefined fields and groups as not given', () => {
    const s = resolveDeliverySettings({
      sink: 'x',
      explicit: { batch: { maxEvents: undefined }, request: undefined },
      uri: { 'batch.maxEvents': '42' },
    });
    expect(s.batch.maxEvents).toBe(42);
  });

  it('returns frozen settings', () => {
    const s = resolveDeliverySettings({ sink: 'x' });
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.batch)).toBe(true);
    expect(Object.isFrozen(s.request)).toBe(true);
  });
});

describe('resolveDeliverySettings: URI strings', () => {
  const read = (key: string, text: string) =>
    pick(resolveDeliverySettings({ sink: 'x', uri: { [key]: text } }), key);

  it.each([
    ['request.timeoutMs', '30s', 30_000],
    ['request.timeoutMs', '5m', 300_000],
    ['request.timeoutMs', '1h30m', 5_400_000],
    ['request.timeoutMs', '500ms', 500],
    ['request.timeoutMs', '250', 250],
    ['request.timeoutMs', '1.5', 1.5],
    ['request.timeoutMs', '1.5s', 1500],
    ['batch.timeoutMs', '0', 0],
    ['batch.timeoutMs', '0s', 0],
    ['batch.maxEvents', '500', 500],
    ['batch.maxEvents', ' 500 ', 500],
    ['request.rateLimitNum', 'unlimited', Infinity],
    ['request.retryAttempts', 'unlimited', Infinity],
    ['request.retryAttempts', '0', 0],
    ['buffer.whenFull', 'dropOldest', 'dropOldest'],
  ])('%s=%s reads as %s', (key, text, value) => {
    expect(read(key, text)).toBe(value);
  });
});

describe('deliveryProfiles', () => {
  const resolve = (sinkDefaults: DeliveryDefaults) =>
    resolveDeliverySettings({ sink: 'x', sinkDefaults });

  it('realtime: small batches within a second (the core batching)', () => {
    expect(resolve(deliveryProfiles.realtime)).toEqual(CORE);
  });

  it('bulk: 1000 events / 5 MB / 5 s batches and a longer request timeout', () => {
    expect(resolve(deliveryProfiles.bulk)).toEqual({
      ...CORE,
      batch: { maxEvents: 1000, maxBytes: 5_000_000, timeoutMs: 5000 },
      request: { ...CORE.request, timeoutMs: 60_000 },
    });
  });

  it('chatRobot: one event a message, 20 a minute, one at a time, repeats digested, drops a flood', () => {
    expect(resolve(deliveryProfiles.chatRobot)).toEqual({
      batch: { ...CORE.batch, maxEvents: 1 },
      buffer: { maxEvents: 100, whenFull: 'dropNewest' },
      request: { ...CORE.request, concurrency: 1, rateLimitNum: 20, rateLimitDurationMs: 62_000 },
      aggregate: { ...CORE.aggregate, windowMs: 300_000 },
    });
  });

  it('none: no wait to fill a batch, up to 1000 events a hand-off', () => {
    expect(resolve(deliveryProfiles.none)).toEqual({
      ...CORE,
      batch: { ...CORE.batch, maxEvents: 1000, timeoutMs: 0 },
    });
  });

  it('has exactly these profiles', () => {
    expect(Object.keys(deliveryProfiles)).toEqual(['realtime', 'bulk', 'chatRobot', 'none']);
  });

  it('is frozen all the way down, so one sink cannot change another', () => {
    const batch = deliveryProfiles.bulk.batch as { maxEvents: number };
    expect(() => {
      batch.maxEvents = 1;
    }).toThrow(TypeError);
    expect(Object.isFrozen(deliveryProfiles)).toBe(true);
    expect(deliveryProfiles.bulk.batch?.maxEvents).toBe(1000);
  });

  it('can be overridden from the URI and code', () => {
    const s = resolveDeliverySettings({
      sink: 'dingtalk',
      explicit: { request: { rateLimitDurationMs: 30_000 } },
      uri: { 'request.rateLimitNum': '10' },
      sinkDefaults: deliveryProfiles.chatRobot,
    });
    expect(s.request).toMatchObject({ rateLimitNum: 10, rateLimitDurationMs: 30_000 });
  });
});

describe('describeDeliverySettings', () => {
  it('gives a row per setting with its type, accepted values and URI-form default', () => {
    const rows = describeDeliverySettings();
    expect(rows).toHaveLength(15);
    expect(rows[0]).toEqual({
      name: 'batch.maxEvents',
      type: 'integer',
      accepts: 'a positive integer',
      default: '100',
      description: 'Most events in one batch.',
    });
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(byName.get('request.rateLimitNum')?.default).toBe('unlimited');
    expect(byName.get('request.timeoutMs')).toMatchObject({
      type: 'milliseconds',
      default: '30000',
    });
    expect(byName.get('buffer.whenFull')).toMatchObject({
      type: 'enum',
      accepts: 'one of block, dropOldest, dropNewest',
      default: 'block',
    });
  });

  it("shows a sink's defaults when given them", () => {
    const rows = describeDeliverySettings(deliveryProfiles.chatRobot);
    const byName = new Map(rows.map((r) => [r.name, r.default]));
    expect(byName.get('batch.maxEvents')).toBe('1');
    expect(byName.get('request.rateLimitNum')).toBe('20');
    expect(byName.get('batch.maxBytes')).toBe('1000000');
  });

  it('matches the table in docs/delivery-settings.md', () => {
    const doc = readFileSync(
      new URL('../../../docs/delivery-settings.md', import.meta.url),
      'utf8',
    );
    for (const row of describeDeliverySettings()) {
      expect(doc).toContain(`| \`${row.name}\` | \`${row.default}\` |`);
    }
    for (const name of Object.keys(deliveryProfiles)) expect(doc).toContain(`\`${name}\``);
  });
});
