import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeEvent } from '../src/event/model.js';
import {
  allOf,
  anyOf,
  byKind,
  byLevel,
  byMessage,
  byMinCount,
  byNamespace,
  byObjectName,
  byReason,
  byReportingComponent,
  byType,
  type EventFilter,
  FilterSpecError,
  not,
  passAll,
  subjectNamespace,
} from '../src/filter/index.js';
import { type KubeEventInit, kubeEvent } from './support/kube-event.js';

const ev = (init: KubeEventInit = {}): KubeEvent =>
  kubeEvent({
    reportingInstance: 'node-a',
    host: 'node-a',
    firstTimestamp: '2026-01-01T00:00:00Z',
    lastTimestamp: '2026-01-01T00:00:00Z',
    ...init,
    involvedObject: { uid: 'p-1', ...init.involvedObject },
  });

/** A Node event as the API server stores it: in `default`, object namespace empty. */
const nodeEvent = ev({
  namespace: 'default',
  reason: 'NodeNotReady',
  involvedObject: { kind: 'Node', namespace: '', name: 'node-a' },
});

describe('byType', () => {
  it('matches exact types, one or a list', () => {
    expect(byType('Warning')(ev({ type: 'Warning' }))).toBe(true);
    expect(byType('Warning')(ev({ type: 'Normal' }))).toBe(false);
    const f = byType(['Normal', 'Custom']);
    expect(f(ev({ type: 'Custom' }))).toBe(true);
    expect(f(ev({ type: 'Normal' }))).toBe(true);
    expect(f(ev({ type: 'Warning' }))).toBe(false);
  });

  it('refuses a miscased Warning and an empty list', () => {
    expect(() => byType(['warning'])).toThrow(/type\[0\].*use 'Warning'.*'warning'/);
    expect(() => byType([])).toThrow(FilterSpecError);
  });
});

describe('byLevel (kube-eventer semantics)', () => {
  const warning = ev({ type: 'Warning' });
  const normal = ev({ type: 'Normal' });
  const custom = ev({ type: 'Info' });

  it('Warning passes only Warning', () => {
    const f = byLevel('Warning');
    expect([f(warning), f(normal), f(custom)]).toEqual([true, false, false]);
  });

  it('Normal passes Normal and Warning, not other types', () => {
    const f = byLevel('Normal');
    expect([f(warning), f(normal), f(custom)]).toEqual([true, true, false]);
  });

  it('refuses lowercase warning, which kube-eventer turns into "pass everything"', () => {
    const err = (() => {
      try {
        byLevel('warning' as 'Warning');
      } catch (e) {
        return e as FilterSpecError;
      }
      throw new Error('byLevel accepted warning');
    })();
    expect(err).toBeInstanceOf(FilterSpecError);
    expect(err.field).toBe('level');
    expect(err.message).toContain("'warning'");
    expect(err.message).toContain("'Warning' or 'Normal'");
    expect(() => byLevel('' as 'Normal')).toThrow(/level/);
  });
});

describe('pattern builders', () => {
  it('byKind: exact names', () => {
    const f = byKind({ include: ['Pod', 'Node'] });
    expect(f(ev())).toBe(true);
    expect(f(nodeEvent)).toBe(true);
    expect(f(ev({ involvedObject: { kind: 'Deployment' } }))).toBe(false);
    expect(f(ev({ involvedObject: { kind: 'pod' } }))).toBe(false);
  });

  it('byObjectName: globs are anchored, * and ? only', () => {
    const f = byObjectName({ include: 'web-?' });
    expect(f(ev({ involvedObject: { name: 'web-1' } }))).toBe(true);
    expect(f(ev({ involvedObject: { name: 'web-12' } }))).toBe(false);
    expect(f(ev({ involvedObject: { name: 'xweb-1' } }))).toBe(false);
    const dots = byObjectName({ include: 'a.b*' });
    expect(dots(ev({ involvedObject: { name: 'a.b-c' } }))).toBe(true);
    expect(dots(ev({ involvedObject: { name: 'aXb-c' } }))).toBe(false);
  });

  it('byReason: /regex/flags strings and RegExp values, unanchored', () => {
    const f = byReason({ include: ['/^fail/i', /Kill/] });
    expect(f(ev({ reason: 'FailedMount' }))).toBe(true);
    expect(f(ev({ reason: 'PreStopKilling' }))).toBe(true);
    expect(f(ev({ reason: 'BackOff' }))).toBe(false);
  });

  it('byReason: a global RegExp gives the same answer every call', () => {
    const f = byReason({ include: /Back/g });
    const e = ev({ reason: 'BackOff' });
    expect([f(e), f(e), f(e)]).toEqual([true, true, true]);
  });

  it('byReportingComponent: mixes exact and glob, exclude wins', () => {
    const f = byReportingComponent({ include: ['kubelet', '*-controller'], exclude: 'job-*' });
    expect(f(ev({ reportingComponent: 'kubelet' }))).toBe(true);
    expect(f(ev({ reportingComponent: 'deployment-controller' }))).toBe(true);
    expect(f(ev({ reportingComponent: 'job-controller' }))).toBe(false);
    expect(f(ev({ reportingComponent: 'default-scheduler' }))).toBe(false);
  });

  it('exclude alone keeps everything else', () => {
    const f = byReason({ exclude: ['Pulled', 'Created', 'Started'] });
    expect(f(ev({ reason: 'Pulled' }))).toBe(false);
    expect(f(ev({ reason: 'BackOff' }))).toBe(true);
  });

  it('names the bad pattern in errors', () => {
    expect(() => byReason({ include: ['ok', '/a(/'] })).toThrow(/reasons\.include\[1\].*'\/a\(\/'/);
    expect(() => byKind({ include: [] })).toThrow(/kinds\.include.*omit it/);
    expect(() => byKind({ include: [''] })).toThrow(/kinds\.include\[0\]/);
    expect(() => byKind({ include: '/x/q' })).toThrow(/invalid regex/);
  });

  it('byMessage: regex sources, include or exclude', () => {
    const oom = byMessage('OOM|out of memory');
    expect(oom(ev({ message: 'container was OOMKilled' }))).toBe(true);
    expect(oom(ev({ message: 'pulled image' }))).toBe(false);
    const quiet = byMessage(['/^readiness probe/i'], { exclude: true });
    expect(quiet(ev({ message: 'Readiness probe failed: 503' }))).toBe(false);
    expect(quiet(ev({ message: 'Liveness probe failed' }))).toBe(true);
    expect(() => byMessage('Insufficient cpu (requested')).toThrow(/messages.*invalid regex/);
  });

  it('byMinCount', () => {
    const f = byMinCount(3);
    expect([2, 3, 4].map((count) => f(ev({ count })))).toEqual([false, true, true]);
    expect(() => byMinCount(0)).toThrow(/minCount/);
    expect(() => byMinCount(1.5)).toThrow(/minCount/);
  });
});

describe('byNamespace', () => {
  it('matches the involved object namespace with globs and exclude precedence', () => {
    const f = byNamespace({ include: ['team-*', 'shop'], exclude: ['team-legacy'] });
    expect(f(ev({ namespace: 'team-a' }))).toBe(true);
    expect(f(ev({ namespace: 'shop' }))).toBe(true);
    expect(f(ev({ namespace: 'team-legacy' }))).toBe(false);
    expect(f(ev({ namespace: 'kube-system' }))).toBe(false);
  });

  it('reads the object namespace, not the event namespace', () => {
    const e = ev({ namespace: 'other', involvedObject: { namespace: 'shop' } });
    expect(subjectNamespace(e)).toBe('shop');
    expect(byNamespace({ include: 'shop' })(e)).toBe(true);
  });

  it('falls back to the event namespace when the event names no object', () => {
    const e = ev({ namespace: 'shop', involvedObject: { kind: '', name: '', namespace: '' } });
    expect(subjectNamespace(e)).toBe('shop');
    expect(byNamespace({ include: 'shop' })(e)).toBe(true);
  });

  it('lets a Node event through an include list by default', () => {
    expect(subjectNamespace(nodeEvent)).toBe('');
    expect(byNamespace({ include: ['team-a'] })(nodeEvent)).toBe(true);
    // ...and its storage namespace `default` is not what it is matched on.
    expect(byNamespace({ exclude: ['default'] })(nodeEvent)).toBe(true);
  });

  it('drops a Node event with clusterScoped: false', () => {
    expect(byNamespace({ include: ['team-a'], clusterScoped: false })(nodeEvent)).toBe(false);
    expect(byNamespace({ include: ['default'], clusterScoped: false })(nodeEvent)).toBe(false);
    expect(byNamespace({ clusterScoped: false })(nodeEvent)).toBe(false);
    expect(byNamespace({ clusterScoped: false })(ev())).toBe(true);
  });

  it('validates clusterScoped', () => {
    expect(() => byNamespace({ clusterScoped: 'no' as unknown as boolean })).toThrow(
      /clusterScoped.*boolean/,
    );
  });
});

describe('combinators', () => {
  const warning = byType('Warning');
  const pods = byKind({ include: 'Pod' });

  it('allOf, anyOf, not', () => {
    const podWarning = ev();
    const nodeNormal = ev({ type: 'Normal', involvedObject: { kind: 'Node' } });
    expect(allOf(warning, pods)(podWarning)).toBe(true);
    expect(allOf(warning, pods, byReason({ include: 'X' }))(podWarning)).toBe(false);
    expect(anyOf(warning, pods)(nodeNormal)).toBe(false);
    expect(anyOf(byReason({ include: 'X' }), warning, pods)(podWarning)).toBe(true);
    expect(not(warning)(nodeNormal)).toBe(true);
    expect(allOf()(nodeNormal)).toBe(true);
    expect(anyOf()(nodeNormal)).toBe(false);
    expect(passAll(nodeNormal)).toBe(true);
  });

  it('De Morgan holds for any event and filter subset', () => {
    const pool: EventFilter[] = [warning, pods, byMinCount(2), byReason({ include: 'Back*' })];
    const arb = fc.record({
      type: fc.constantFrom('Warning', 'Normal'),
      kind: fc.constantFrom('Pod', 'Node'),
      count: fc.integer({ min: 1, max: 3 }),
      reason: fc.constantFrom('BackOff', 'Pulled'),
      picks: fc.subarray([0, 1, 2, 3]),
    });
    fc.assert(
      fc.property(arb, ({ type, kind, count, reason, picks }) => {
        const e = ev({ type, count, reason, involvedObject: { kind } });
        const fs = picks.map((i) => pool[i] as EventFilter);
        const ands = fs.every((f) => f(e));
        expect(allOf(...fs)(e)).toBe(ands);
        expect(anyOf(...fs.map(not))(e)).toBe(!ands);
      }),
    );
  });
});

describe('glob matching (property)', () => {
  const name = fc.stringMatching(/^[a-z0-9.-]{1,12}$/);

  it('a literal name matches only itself; prefix* matches exactly its extensions', () => {
    fc.assert(
      fc.property(name, name, (a, b) => {
        const exact = byObjectName({ include: a });
        expect(exact(ev({ involvedObject: { name: b } }))).toBe(a === b);
        const prefix = byObjectName({ include: `${a}*` });
        expect(prefix(ev({ involvedObject: { name: b } }))).toBe(b.startsWith(a));
      }),
    );
  });
});
