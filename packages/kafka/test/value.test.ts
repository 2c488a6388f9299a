import { normalizeEvent } from '@keventer/core';
import { buildEvent } from '@keventer/testing';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FORMATS, MESSAGE_KEYS } from '../src/options.js';
import { eventMessage, goTime, messageKey, OCCURRENCE_HEADER } from '../src/value.js';
import * as oracle from './value-oracle.js';

const podEvent = () =>
  normalizeEvent(
    buildEvent({
      metadata: { uid: 'ev-1', name: 'web-0.17', namespace: 'shop' },
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off <restarting> "web" & 中文',
      count: 3,
      source: { component: 'kubelet', host: 'node-7' },
      firstTimestamp: '2026-12-06T10:00:00Z',
      lastTimestamp: '2026-12-06T10:05:00Z',
      involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web-0', uid: 'pod-uid-0' },
    }),
  );

const kubeEventer = { format: 'kube-eventer', key: 'object' } as const;

describe("kube-eventer's message value", () => {
  it('is its KafkaSinkPoint: the event JSON indented by one space, the last occurrence, the tags', () => {
    const event = podEvent();
    const value = JSON.parse(eventMessage(event, kubeEventer).value);
    expect(Object.keys(value)).toEqual(['EventValue', 'EventTimestamp', 'EventTags']);
    expect(value.EventTimestamp).toBe('2026-12-06T10:05:00Z');
    // Go's map keys come sorted: eventID, hostname, pod_id, pod_name.
    expect(Object.entries(value.EventTags)).toEqual([
      ['eventID', 'ev-1'],
      ['hostname', 'node-7'],
      ['pod_id', 'pod-uid-0'],
      ['pod_name', 'web-0'],
    ]);
    expect(typeof value.EventValue).toBe('string');
    // What client-go decoded (no apiVersion/kind), as json.MarshalIndent(event, "", " ") writes it.
    const { apiVersion: _v, kind: _k, ...object } = event.raw as unknown as Record<string, unknown>;
    expect(value.EventValue).toBe(JSON.stringify(object, null, 1));
    expect(value.EventValue).toMatch(/^\{\n "metadata": \{\n {2}"name": "web-0.17",\n/);
    expect(JSON.parse(value.EventValue).message).toBe('Back-off <restarting> "web" & 中文');
  });

  it('has no pod tags for another kind, and an empty hostname when the source has none', () => {
    const event = normalizeEvent(
      buildEvent({
        metadata: { uid: 'ev-2' },
        involvedObject: { kind: 'Node', namespace: '', name: 'node-7', uid: 'node-7' },
        source: { component: 'kubelet' },
      }),
    );
    const tags = JSON.parse(eventMessage(event, kubeEventer).value).EventTags;
    expect(tags).toEqual({ eventID: 'ev-2', hostname: '' });
  });

  it("writes the event's own JSON with format=event", () => {
    const event = podEvent();
    const message = eventMessage(event, { format: 'event', key: 'object' });
    expect(JSON.parse(message.value)).toEqual(event.raw);
  });

  it('names the occurrence in a header, for consumers that drop replays', () => {
    const message = eventMessage(podEvent(), kubeEventer);
    expect(message.headers[OCCURRENCE_HEADER]).toMatch(/^ev-1\/3\//);
  });
});

describe('the message key', () => {
  it('is kind/namespace/name by default, the uid or none on request', () => {
    const event = podEvent();
    expect(messageKey(event, 'object')).toBe('Pod/shop/web-0');
    expect(messageKey(event, 'uid')).toBe('pod-uid-0');
    expect(messageKey(event, 'none')).toBeNull();
    expect(eventMessage(event, { format: 'event', key: 'none' }).key).toBeNull();
  });

  it('keeps a cluster-scoped object keyed, and has no uid key when the object has no uid', () => {
    const event = normalizeEvent(
      buildEvent({ involvedObject: { kind: 'Node', namespace: '', name: 'n1', uid: '' } }),
    );
    expect(messageKey(event, 'object')).toBe('Node//n1');
    expect(messageKey(event, 'uid')).toBeNull();
  });
});

describe("Go's time format", () => {
  it.each([
    ['2026-12-06T10:05:00Z', '2026-12-06T10:05:00Z'],
    ['2026-12-06T10:05:00.000Z', '2026-12-06T10:05:00Z'],
    ['2026-12-06T10:05:00.123400Z', '2026-12-06T10:05:00.1234Z'],
    ['2026-12-06T12:05:00+02:00', '2026-12-06T10:05:00Z'],
    // Past year 9999 (Go refuses to write it): as JavaScript writes it, not an endless recursion.
    ['+010000-01-01T00:00:00.000Z', '+010000-01-01T00:00:00.000Z'],
    ['-000001-01-01T00:00:00.000Z', '-000001-01-01T00:00:00.000Z'],
  ])('%s is written %s', (input, expected) => {
    expect(goTime(input)).toBe(expected);
  });
});

// Text of every kind: JSON's escapes (quotes, backslashes, newlines, control
// characters), multi-byte UTF-8, lone surrogates.
const textArb = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({
    unit: fc.constantFrom(
      '"',
      '\\',
      '\n',
      '\r',
      '\t',
      '\u0000',
      '\u2028',
      '<',
      '&',
      'é',
      '中',
      '😀',
      '\ud800',
      '\udfff',
      'a',
    ),
    maxLength: 30,
  }),
  fc.constant(''),
);

// Times as the API server writes them and as it should not: RFC 3339 with and
// without fractions, offsets, Go's zero time, garbage, nothing. Years stay in
// 0000-9999 (Go's encoding/json refuses others): the oracle, the builder as it was,
// recursed without end on "+010000-01-01T00:00:00.000Z" (fixed since, tested above).
const digitsArb = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
const timeArb = fc.oneof(
  fc
    .date({
      min: new Date('0001-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString()),
  fc
    .date({
      min: new Date('0000-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59.999Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString()),
  fc
    .date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2100-01-01T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => `${d.toISOString().slice(0, 19)}Z`),
  fc
    .tuple(
      digitsArb(4),
      digitsArb(2),
      digitsArb(2),
      digitsArb(2),
      digitsArb(2),
      digitsArb(2),
      fc.oneof(
        fc.constant(''),
        digitsArb(1),
        digitsArb(3),
        digitsArb(6),
        fc.constantFrom('000', '100', '120', '010', '001', '0', '1000', '000000'),
      ),
    )
    .map(([y, mo, d, h, mi, s, f]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${f ? `.${f}` : ''}Z`),
  // One character of the fast path's form changed (digits, separators, Z, /, :).
  fc
    .tuple(fc.nat(23), fc.constantFrom(...'0189/:;-.TZz tx٣'))
    .map(
      ([at, c]) =>
        `${'2026-12-06T10:05:00.100Z'.slice(0, at)}${c}${'2026-12-06T10:05:00.100Z'.slice(at + 1)}`,
    ),
  fc.constantFrom(
    '2026-12-06T12:05:00+02:00',
    '2026-12-06T10:05:00.000+00:00',
    '0001-01-01T00:00:00Z',
    'yesterday',
    '',
    '2026-12-06 10:05:00.000Z',
    '2026-12-06T10:05:00.000z',
    '2026-12-06T10:05:00.0a0Z',
    '٢٠٢٦-12-06T10:05:00.000Z',
  ),
  textArb,
);

// core/v1 Events with fields missing, empty, of the wrong type, or extra.
const wireEventArb = fc.record(
  {
    apiVersion: fc.constantFrom('v1', 'events.k8s.io/v1'),
    kind: fc.constantFrom('Event', ''),
    metadata: fc.record(
      {
        name: textArb,
        namespace: textArb,
        uid: fc.oneof(fc.uuid(), fc.constant(''), textArb),
        resourceVersion: fc.nat().map(String),
      },
      { requiredKeys: [] },
    ),
    involvedObject: fc.record(
      {
        kind: fc.oneof(fc.constantFrom('Pod', 'Node', 'Deployment', 'pod'), textArb),
        namespace: textArb,
        name: textArb,
        uid: fc.oneof(fc.uuid(), fc.constant(''), textArb),
        apiVersion: fc.constantFrom('v1', 'apps/v1'),
        fieldPath: textArb,
      },
      { requiredKeys: [] },
    ),
    reason: textArb,
    message: textArb,
    source: fc.record({ component: textArb, host: textArb }, { requiredKeys: [] }),
    firstTimestamp: fc.oneof(timeArb, fc.constant(null)),
    lastTimestamp: fc.oneof(timeArb, fc.constant(null)),
    eventTime: fc.oneof(fc.constant(null), timeArb),
    count: fc.oneof(fc.nat(), fc.constant(null), fc.constant('3'), fc.double()),
    type: fc.constantFrom('Warning', 'Normal', ''),
    reportingComponent: textArb,
    reportingInstance: textArb,
    series: fc.record({ count: fc.nat(), lastObservedTime: timeArb }, { requiredKeys: [] }),
    annotations: fc.dictionary(
      textArb,
      fc.oneof(textArb, fc.integer(), fc.boolean(), fc.constant(null)),
      { maxKeys: 3 },
    ),
    list: fc.array(fc.oneof(textArb, fc.integer(), fc.constant(null)), { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

describe('the message, made cheaper, is byte for byte what it was', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('for any event, format and key', () => {
    // An event without a time is stamped now, by both.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-07T01:02:03.456Z') });
    fc.assert(
      fc.property(
        wireEventArb,
        fc.constantFrom(...FORMATS),
        fc.constantFrom(...MESSAGE_KEYS),
        (wire, format, key) => {
          const event = normalizeEvent(wire);
          const layout = { format, key };
          expect(eventMessage(event, layout)).toStrictEqual(oracle.eventMessage(event, layout));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('for any lastTimestamp text, also one that normalizing never gives', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-07T01:02:03.456Z') });
    const event = normalizeEvent(
      buildEvent({ involvedObject: { kind: 'Pod', name: 'p', uid: 'u' } }),
    );
    fc.assert(
      fc.property(timeArb, (lastTimestamp) => {
        expect(goTime(lastTimestamp)).toBe(oracle.goTime(lastTimestamp));
        const changed = { ...event, lastTimestamp };
        const layout = { format: 'kube-eventer', key: 'object' } as const;
        expect(eventMessage(changed, layout)).toStrictEqual(oracle.eventMessage(changed, layout));
      }),
      { numRuns: 3000 },
    );
  });
});
