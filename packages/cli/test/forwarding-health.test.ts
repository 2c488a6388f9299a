import { silentLogger } from '@keventer/core';
import { describe, expect, it } from 'vitest';
import type { ForwardingPlan } from '../src/plan.js';
import { Forwarding } from '../src/run.js';

// Not started: the plan is not read.
const plan = {} as ForwardingPlan;

describe('Forwarding before it starts', () => {
  it('under leader election is a ready, healthy standby whose keventer_leader is 0', async () => {
    const standby = new Forwarding(plan, { logger: silentLogger, elected: true });
    expect(standby.health()).toEqual({ ready: true, healthy: true, problems: [] });
    expect(standby.forwarding).toBe(false);
    expect(await standby.metricsText()).toMatch(
      /# TYPE keventer_leader gauge\nkeventer_leader 0\n$/,
    );
  });

  it('without leader election is starting: healthy, not ready yet', () => {
    const single = new Forwarding(plan, { logger: silentLogger });
    expect(single.health()).toMatchObject({ ready: false, healthy: true });
  });

  it('serves no metrics text when --event-metrics=false', async () => {
    const quiet = new Forwarding(plan, { logger: silentLogger, metrics: false, elected: true });
    expect(await quiet.metricsText()).toBeUndefined();
  });
});
