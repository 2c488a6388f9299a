import { describe, expect, it } from 'vitest';
import {
  createFilter,
  type FilterSpec,
  FilterSpecError,
  filterFromKubeEventerOptions,
} from '../src/filter/index.js';
import { kubeEvent } from './support/kube-event.js';

const ev = kubeEvent;

const nodeEvent = ev({
  namespace: 'default',
  reason: 'NodeNotReady',
  involvedObject: { kind: 'Node', namespace: '', name: 'node-a' },
});

/** The FilterSpecError thrown by `build`, so tests can check field and value. */
function specError(build: () => unknown): FilterSpecError {
  try {
    build();
  } catch (e) {
    if (e instanceof FilterSpecError) return e;
    throw e;
  }
  throw new Error('expected a FilterSpecError');
}

describe('createFilter', () => {
  it('an empty spec passes everything', () => {
    const f = createFilter({});
    expect(f(ev({ type: 'Normal' }))).toBe(true);
    expect(f(nodeEvent)).toBe(true);
  });

  it('ANDs every field and ORs inside a list', () => {
    const spec: FilterSpec = {
      level: 'Warning',
      namespaces: ['team-*', 'shop'],
      kinds: ['Pod', 'Node'],
      reasons: ['BackOff', '/^Failed/'],
      objectNames: 'web-*',
      components: 'kubelet',
      messages: 'restart',
      minCount: 2,
    };
    const f = createFilter(spec);
    const ok = ev({ count: 2 });
    expect(f(ok)).toBe(true);
    expect(f({ ...ok, count: 1 })).toBe(false);
    expect(f({ ...ok, type: 'Normal' })).toBe(false);
    expect(f({ ...ok, reason: 'FailedMount' })).toBe(true);
    expect(f({ ...ok, reason: 'Pulled' })).toBe(false);
    expect(f({ ...ok, reportingComponent: 'kube-proxy' })).toBe(false);
    expect(f({ ...ok, message: 'pulled' })).toBe(false);
    expect(f(ev({ count: 2, namespace: 'team-x' }))).toBe(true);
    expect(f(ev({ count: 2, namespace: 'kube-system' }))).toBe(false);
    expect(f(ev({ count: 2, involvedObject: { name: 'db-0' } }))).toBe(false);
  });

  it('each exclude field drops on its own and wins over includes', () => {
    const f = createFilter({
      namespaces: 'team-*',
      exclude: { namespaces: ['team-sandbox'], reasons: ['Pulled'], type: 'Normal', minCount: 100 },
    });
    expect(f(ev({ namespace: 'team-a' }))).toBe(true);
    expect(f(ev({ namespace: 'team-sandbox' }))).toBe(false);
    expect(f(ev({ namespace: 'team-a', reason: 'Pulled' }))).toBe(false);
    expect(f(ev({ namespace: 'team-a', type: 'Normal' }))).toBe(false);
    expect(f(ev({ namespace: 'team-a', count: 100 }))).toBe(false);
    expect(
      createFilter({ exclude: { messages: ['/probe/i'] } })(ev({ message: 'Probe failed' })),
    ).toBe(false);
  });

  it('cluster-scoped objects follow clusterScoped, both ways', () => {
    expect(createFilter({ namespaces: ['team-a'] })(nodeEvent)).toBe(true);
    expect(createFilter({ namespaces: ['team-a'], clusterScoped: false })(nodeEvent)).toBe(false);
    expect(createFilter({ clusterScoped: false })(nodeEvent)).toBe(false);
    expect(createFilter({ clusterScoped: false })(ev())).toBe(true);
  });

  it('is JSON-able: a parsed config gives the same filter', () => {
    const spec: FilterSpec = {
      level: 'Normal',
      kinds: ['Node'],
      exclude: { reasons: ['/^Node(Has|Allocatable)/'] },
    };
    const f = createFilter(JSON.parse(JSON.stringify(spec)) as FilterSpec);
    expect(f(nodeEvent)).toBe(true);
    expect(f({ ...nodeEvent, reason: 'NodeHasSufficientMemory' })).toBe(false);
  });

  it('names the bad field and value', () => {
    const cases: [unknown, string, unknown][] = [
      [{ level: 'warning' }, 'level', 'warning'],
      [{ namespace: ['a'] }, 'namespace', 'namespace'],
      [{ kinds: ['Pod', 3] }, 'kinds[1]', 3],
      [{ kinds: [] }, 'kinds', []],
      [{ reasons: ['/(/'] }, 'reasons[0]', '/(/'],
      [{ minCount: 0 }, 'minCount', 0],
      [{ type: ['warning'] }, 'type[0]', 'warning'],
      [{ clusterScoped: 'yes' }, 'clusterScoped', 'yes'],
      [{ exclude: { level: 'Normal' } }, 'exclude.level', 'level'],
      [{ exclude: { reasons: ['ok', '/[/'] } }, 'exclude.reasons[1]', '/[/'],
      [{ exclude: { minCount: -1 } }, 'exclude.minCount', -1],
      [{ exclude: 'Normal' }, 'exclude', 'Normal'],
      [null, 'spec', null],
    ];
    for (const [spec, field, value] of cases) {
      const err = specError(() => createFilter(spec as FilterSpec));
      expect({ field: err.field, value: err.value }).toEqual({ field, value });
      expect(err.message).toContain(field);
    }
  });

  it('suggests the plural for a singular field name', () => {
    expect(() => createFilter({ namespace: 'a' } as FilterSpec)).toThrow(
      /did you mean 'namespaces'/,
    );
  });

  it('ignores an empty exclude list', () => {
    expect(createFilter({ exclude: { reasons: [] } })(ev())).toBe(true);
  });
});

describe('filterFromKubeEventerOptions', () => {
  it('defaults to level Warning like the dingtalk and wechat sinks', () => {
    const f = filterFromKubeEventerOptions({});
    expect(f(ev({ type: 'Warning' }))).toBe(true);
    expect(f(ev({ type: 'Normal' }))).toBe(false);
  });

  it('level Normal passes Normal and Warning; defaultLevel null filters no level', () => {
    const normal = filterFromKubeEventerOptions({ level: 'Normal' });
    expect(normal(ev({ type: 'Normal' }))).toBe(true);
    expect(normal(ev({ type: 'Custom' }))).toBe(false);
    const webhook = filterFromKubeEventerOptions({}, { defaultLevel: null });
    expect(webhook(ev({ type: 'Custom' }))).toBe(true);
  });

  it('refuses the level values kube-eventer silently turns into "everything"', () => {
    expect(() => filterFromKubeEventerOptions({ level: 'warning' })).toThrow(/level.*'warning'/);
    expect(() => filterFromKubeEventerOptions({ level: '' })).toThrow(/level/);
  });

  it('splits comma lists, trims, and matches namespaces and kinds exactly', () => {
    const f = filterFromKubeEventerOptions({ namespaces: 'shop, team-*', kinds: 'Pod,Deployment' });
    expect(f(ev({ namespace: 'shop' }))).toBe(true);
    // kube-eventer has no globs: `team-*` is a literal name here.
    expect(f(ev({ namespace: 'team-a' }))).toBe(false);
    expect(f(ev({ namespace: 'team-*' }))).toBe(true);
    expect(f(ev({ involvedObject: { kind: 'Service' } }))).toBe(false);
  });

  it('reads repeated keys and treats an empty value as no list', () => {
    const f = filterFromKubeEventerOptions({ namespaces: ['a', 'b,c'], kinds: '' });
    expect(['a', 'b', 'c', 'd'].map((namespace) => f(ev({ namespace })))).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('reason is a regex list, unanchored', () => {
    const f = filterFromKubeEventerOptions({ reason: 'Back,^Failed' });
    expect(f(ev({ reason: 'BackOff' }))).toBe(true);
    expect(f(ev({ reason: 'ImagePullBackOff' }))).toBe(true);
    expect(f(ev({ reason: 'FailedMount' }))).toBe(true);
    expect(f(ev({ reason: 'NotFailed' }))).toBe(false);
    expect(() => filterFromKubeEventerOptions({ reason: 'ok,(' })).toThrow(/reason\[1\].*'\('/);
  });

  it('Node events pass a namespaces list unless clusterScoped is false', () => {
    const opts = { level: 'Normal', namespaces: 'team-a' };
    expect(filterFromKubeEventerOptions(opts)(nodeEvent)).toBe(true);
    expect(filterFromKubeEventerOptions(opts, { clusterScoped: false })(nodeEvent)).toBe(false);
  });
});
