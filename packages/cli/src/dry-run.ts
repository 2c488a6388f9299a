import type { Logger } from '@keventer/core';
import type { LogOutput } from './log/logger.js';
import type { ResolvedRun } from './resolve.js';
import { closeRoutes } from './routes.js';
import { assemble } from './run.js';

/**
 * Prints what would run: the source, the checkpoint, and each route with its
 * sink (URI or options with secrets masked), filter, dedup and the delivery
 * settings in force after the sink's defaults and the URI's keys.
 */
export async function printDryRun(
  run: ResolvedRun,
  out: LogOutput,
  logger: Logger,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const { forwarder, routes } = await assemble(run.plan, { logger, env });
  try {
    const lines = [
      `source: ${run.plan.source.describe}`,
      `checkpoint: ${run.checkpoint ? (run.checkpoint.type === 'file' ? `file ${run.checkpoint.path}` : 'in-cluster') : "none (starts from 'now' on each start)"}`,
      `leader election: ${run.leaderElection !== undefined ? 'on' : 'off'}`,
      `healthz: http://${run.healthz.ip}:${run.healthz.port} (/healthz, /readyz${run.eventMetrics ? ', /metrics' : ''})`,
      `drain timeout: ${run.plan.drainTimeoutMs} ms`,
      'routes:',
    ];
    forwarder.routes.forEach((route, i) => {
      const plan = run.plan.routes[i];
      lines.push(`  - name: ${route.name}`);
      lines.push(`    sink: ${routes[i]?.shown}`);
      if (plan?.filter) lines.push(`    filter: ${JSON.stringify(plan.filter)}`);
      if (plan?.dedup) lines.push(`    dedup: ${JSON.stringify(plan.dedup)}`);
      lines.push(`    delivery: ${showSettings(route.settings)}`);
    });
    out.write(`${lines.join('\n')}\n`);
  } finally {
    await closeRoutes(routes);
  }
}

function showSettings(settings: object): string {
  return Object.entries(settings)
    .flatMap(([group, fields]) =>
      Object.entries(fields as Record<string, unknown>).map(
        ([field, value]) =>
          `${group}.${field}=${value === Number.POSITIVE_INFINITY ? 'unlimited' : String(value)}`,
      ),
    )
    .join(' ');
}
