import { waitFor } from '@keventer/testing';
import { describe, expect, it } from 'vitest';
import { BurstReport } from '../../core/src/delivery/burst-report.js';

type Report = { byKind: Record<string, number>; total: number };

function recorder(intervalMs: number) {
  const reports: Report[] = [];
  const burst = new BurstReport<'a' | 'b'>(intervalMs, (byKind, total) => {
    reports.push({ byKind: { ...byKind } as Record<string, number>, total });
  });
  return { burst, reports };
}

describe('BurstReport', () => {
  it('reports the first at once and the rest of the burst when the interval ends, by kind', async () => {
    const { burst, reports } = recorder(30);
    burst.add('a');
    expect(reports).toEqual([{ byKind: { a: 1 }, total: 1 }]);
    for (let i = 0; i < 39_998; i++) burst.add('a');
    burst.add('b', 2);
    expect(reports).toHaveLength(1); // within the interval: held
    await waitFor(() => reports.length === 2);
    expect(reports[1]).toEqual({ byKind: { a: 39_998, b: 2 }, total: 40_000 });
  });

  it('flush() reports what is held at once, and nothing when nothing is', () => {
    const { burst, reports } = recorder(60_000);
    burst.flush();
    expect(reports).toEqual([]);
    burst.add('b');
    burst.add('a', 5);
    burst.add('b');
    burst.flush();
    burst.flush();
    expect(reports).toEqual([
      { byKind: { b: 1 }, total: 1 },
      { byKind: { a: 5, b: 1 }, total: 6 },
    ]);
  });
});
