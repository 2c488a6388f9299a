import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type ResolveDeliveryOptions,
  resolveDeliverySettings,
} from '../src/delivery/settings/resolve.js';
import { SinkConfigError } from '../src/sink/contract/errors.js';

const MS =
  'a positive number of milliseconds up to 2147483647 (in a URI also a duration such as 500ms, 30s or 5m)';

function problemsOf(options: Omit<ResolveDeliveryOptions, 'sink'>): readonly string[] {
  try {
    resolveDeliverySettings({ sink: 'dingtalk', ...options });
  } catch (err) {
    expect(err).toBeInstanceOf(SinkConfigError);
    expect((err as SinkConfigError).sink).toBe('dingtalk');
    return (err as SinkConfigError).problems;
  }
  throw new Error('expected a SinkConfigError');
}

const uriProblem = (key: string, text: string) => problemsOf({ uri: { [key]: text } });
const codeProblem = (explicit: unknown) =>
  problemsOf({ explicit: explicit as ResolveDeliveryOptions['explicit'] });

describe('resolveDeliverySettings: bad values', () => {
  it.each([
    ['batch.maxEvents', '10x', 'a positive integer'],
    ['batch.maxEvents', '0', 'a positive integer'],
    ['batch.maxEvents', '-5', 'a positive integer'],
    ['batch.maxEvents', '1.5', 'a positive integer'],
    ['batch.maxEvents', '1e3', 'a positive integer'],
    ['batch.maxEvents', '', 'a positive integer'],
    ['batch.maxBytes', '0', 'a positive integer'],
    ['buffer.maxEvents', 'lots', 'a positive integer'],
    ['request.concurrency', 'unlimited', 'a positive integer'],
    ['request.rateLimitNum', '0', "a positive integer or 'unlimited' (Infinity in code)"],
    ['request.rateLimitNum', 'Infinity', "a positive integer or 'unlimited' (Infinity in code)"],
    ['request.retryAttempts', '-1', "an integer of at least 0 or 'unlimited' (Infinity in code)"],
    ['request.timeoutMs', '10x', MS],
    ['request.timeoutMs', '0', MS],
    ['request.timeoutMs', '0s', MS],
    ['request.timeoutMs', '30 s', MS],
    ['request.timeoutMs', '30d', MS],
    ['request.retryMaxDurationMs', '2147483648', MS],
    [
      'batch.timeoutMs',
      '-1',
      MS.replace('a positive number of milliseconds', 'a number of milliseconds from 0'),
    ],
  ])('URI %s=%s', (key, text, accepts) => {
    expect(uriProblem(key, text)).toEqual([
      `delivery setting '${key}': '${text}' in the URI is not accepted; expected ${accepts}`,
    ]);
  });

  it.each([
    [{ batch: { maxEvents: 0 } }, "'batch.maxEvents': 0", 'a positive integer'],
    [{ batch: { maxEvents: 2.5 } }, "'batch.maxEvents': 2.5", 'a positive integer'],
    [{ batch: { maxEvents: Infinity } }, "'batch.maxEvents': Infinity", 'a positive integer'],
    [{ batch: { maxBytes: Number.NaN } }, "'batch.maxBytes': NaN", 'a positive integer'],
    [{ buffer: { maxEvents: null } }, "'buffer.maxEvents': null", 'a positive integer'],
    [{ request: { timeoutMs: -1 } }, "'request.timeoutMs': -1", MS],
    [{ request: { timeoutMs: Infinity } }, "'request.timeoutMs': Infinity", MS],
    [{ request: { retryInitialBackoffMs: 0 } }, "'request.retryInitialBackoffMs': 0", MS],
    [{ request: { rateLimitDurationMs: true } }, "'request.rateLimitDurationMs': true", MS],
    [{ request: { concurrency: [2] } }, "'request.concurrency': an array", 'a positive integer'],
  ])('code %j', (explicit, setting, accepts) => {
    expect(codeProblem(explicit)).toEqual([
      `delivery setting ${setting} in code is not accepted; expected ${accepts}`,
    ]);
  });

  it('refuses a string in code and says to give a number', () => {
    expect(codeProblem({ request: { timeoutMs: '30s' } })).toEqual([
      `delivery setting 'request.timeoutMs': '30s' in code is not accepted; expected ${MS}; in code give it as a number (strings are read only from URIs)`,
    ]);
  });

  it('hints at the right spelling of whenFull', () => {
    const accepts = 'expected one of block, dropOldest, dropNewest';
    expect(uriProblem('buffer.whenFull', 'drop_newest')).toEqual([
      `delivery setting 'buffer.whenFull': 'drop_newest' in the URI is not accepted; ${accepts} (did you mean 'dropNewest'?)`,
    ]);
    expect(codeProblem({ buffer: { whenFull: 'Block' } })).toEqual([
      `delivery setting 'buffer.whenFull': 'Block' in code is not accepted; ${accepts} (did you mean 'block'?)`,
    ]);
    expect(codeProblem({ buffer: { whenFull: 'spill' } })).toEqual([
      `delivery setting 'buffer.whenFull': 'spill' in code is not accepted; ${accepts}`,
    ]);
  });

  it("names the sink's defaults as the source of a bad default", () => {
    expect(problemsOf({ sinkDefaults: { batch: { maxEvents: 0 } } })).toEqual([
      "delivery setting 'batch.maxEvents': 0 in the sink's defaults is not accepted; expected a positive integer",
    ]);
  });

  it('reports a bad value even when a higher source overrides it', () => {
    expect(
      problemsOf({ explicit: { batch: { maxEvents: 5 } }, uri: { 'batch.maxEvents': '5x' } }),
    ).toEqual([
      "delivery setting 'batch.maxEvents': '5x' in the URI is not accepted; expected a positive integer",
    ]);
  });

  it('refuses groups and inputs that are not objects', () => {
    expect(codeProblem({ batch: 5 })).toEqual([
      "delivery setting 'batch' in code: 5 is not accepted; expected an object with maxEvents, maxBytes, timeoutMs",
    ]);
    expect(codeProblem('fast')).toEqual([
      "delivery settings in code: 'fast' is not accepted; expected an object with batch, buffer, request, aggregate",
    ]);
  });
});

describe('resolveDeliverySettings: unknown settings', () => {
  const BATCH = 'accepted: batch.maxEvents, batch.maxBytes, batch.timeoutMs';

  it('suggests the closest name in a URI', () => {
    expect(uriProblem('batch.maxEvent', '500')).toEqual([
      `unknown delivery setting 'batch.maxEvent' in the URI (did you mean 'batch.maxEvents'?); ${BATCH}`,
    ]);
    expect(uriProblem('batch.max_events', '500')).toEqual([
      `unknown delivery setting 'batch.max_events' in the URI (did you mean 'batch.maxEvents'?); ${BATCH}`,
    ]);
    expect(uriProblem('batch.maxevents', '500')[0]).toContain("(did you mean 'batch.maxEvents'?)");
  });

  it('lists the group without a guess when nothing is close', () => {
    expect(uriProblem('batch.size', '5')).toEqual([
      `unknown delivery setting 'batch.size' in the URI; ${BATCH}`,
    ]);
    expect(uriProblem('batch.constructor', '5')).toEqual([
      `unknown delivery setting 'batch.constructor' in the URI; ${BATCH}`,
    ]);
  });

  it('suggests names in code too, for fields and groups', () => {
    expect(codeProblem({ request: { retryAttempt: 3 } })).toEqual([
      "unknown delivery setting 'request.retryAttempt' in code (did you mean 'request.retryAttempts'?); accepted: request.concurrency, request.timeoutMs, request.rateLimitNum, request.rateLimitDurationMs, request.retryAttempts, request.retryInitialBackoffMs, request.retryMaxDurationMs",
    ]);
    expect(codeProblem({ batches: { maxEvents: 3 } })).toEqual([
      "unknown delivery setting 'batches' in code (did you mean 'batch'?); accepted: batch, buffer, request, aggregate",
    ]);
    expect(codeProblem({ retry: {} })).toEqual([
      "unknown delivery setting 'retry' in code; accepted: batch, buffer, request, aggregate",
    ]);
  });

  it('says to nest a URI-style key given in code', () => {
    expect(codeProblem({ 'batch.maxEvents': 5 })).toEqual([
      "delivery setting 'batch.maxEvents' in code must be nested: { batch: { maxEvents: ... } }",
    ]);
  });
});

describe('resolveDeliverySettings: invariants', () => {
  it('a batch must fit in the buffer', () => {
    expect(problemsOf({ explicit: { batch: { maxEvents: 20_000 } } })).toEqual([
      "delivery setting 'batch.maxEvents' (20000 in code) must be at most 'buffer.maxEvents' (10000 in the core defaults): a batch must fit in the buffer",
    ]);
    expect(
      problemsOf({
        uri: { 'buffer.maxEvents': '100' },
        sinkDefaults: { batch: { maxEvents: 500 } },
      }),
    ).toEqual([
      "delivery setting 'batch.maxEvents' (500 in the sink's defaults) must be at most 'buffer.maxEvents' (100 in the URI): a batch must fit in the buffer",
    ]);
  });

  it('the first backoff cannot exceed the retry budget', () => {
    expect(problemsOf({ uri: { 'request.retryInitialBackoffMs': '10m' } })).toEqual([
      "delivery setting 'request.retryInitialBackoffMs' (600000 in the URI) must be at most 'request.retryMaxDurationMs' (300000 in the core defaults): the first wait cannot exceed the whole retry budget",
    ]);
  });

  it('allows equal values', () => {
    const s = resolveDeliverySettings({
      sink: 'x',
      explicit: {
        batch: { maxEvents: 50 },
        buffer: { maxEvents: 50 },
        request: { retryInitialBackoffMs: 1000, retryMaxDurationMs: 1000 },
      },
    });
    expect(s.batch.maxEvents).toBe(50);
    expect(s.request.retryMaxDurationMs).toBe(1000);
  });

  it('is not checked against a bad value (one problem, not two)', () => {
    expect(
      problemsOf({ explicit: { batch: { maxEvents: 20_000 } }, uri: { 'buffer.maxEvents': 'x' } }),
    ).toEqual([
      "delivery setting 'buffer.maxEvents': 'x' in the URI is not accepted; expected a positive integer",
    ]);
  });
});

describe('resolveDeliverySettings: one error for all problems', () => {
  it('lists every problem from every source, prefixed with the sink', () => {
    let error: unknown;
    try {
      resolveDeliverySettings({
        sink: 'dingtalk',
        explicit: { request: { concurrency: 0 } },
        uri: { 'batch.maxEvent': '500', 'request.timeoutMs': '10x' },
        sinkDefaults: { buffer: { whenFull: 'drop' as 'block' } },
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SinkConfigError);
    const e = error as SinkConfigError;
    expect(e.problems).toHaveLength(4);
    expect(e.message).toMatch(/^\[keventer\] \[dingtalk\] 4 problems:\n {2}- /);
    for (const part of [
      "'request.concurrency': 0 in code",
      "'batch.maxEvent' in the URI",
      "'request.timeoutMs': '10x' in the URI",
      "'buffer.whenFull': 'drop' in the sink's defaults",
    ]) {
      expect(e.message).toContain(part);
    }
  });
});

it('the error example in docs/delivery-settings.md is the real message', () => {
  const doc = readFileSync(new URL('../../../docs/delivery-settings.md', import.meta.url), 'utf8');
  let message = '';
  try {
    resolveDeliverySettings({
      sink: 'dingtalk',
      explicit: { request: { concurrency: 0 } },
      uri: { 'batch.maxEvent': '500', 'request.timeoutMs': '10x' },
    });
  } catch (err) {
    message = (err as Error).message;
  }
  expect(message).toMatch(/^\[keventer\] \[dingtalk\] 3 problems:/);
  expect(doc).toContain(message);
});
