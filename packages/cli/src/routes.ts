import { createDedup, createFilter, type RouteOptions } from '@keventer/core';
import type { RoutePlan } from './plan.js';
import { type BuiltSink, buildSink } from './sinks.js';

export interface BuiltRoute {
  readonly route: RouteOptions;
  readonly shown: string;
}

/**
 * The forwarder's routes from the plan, with fresh sinks. When one sink
 * fails to build, those already built are closed and the error thrown:
 * kube-eventer skipped such a sink with a log line; keventer refuses to start.
 */
export async function buildRoutes(
  plans: readonly RoutePlan[],
  env: NodeJS.ProcessEnv,
): Promise<BuiltRoute[]> {
  const built: BuiltRoute[] = [];
  try {
    for (const plan of plans) {
      const sink: BuiltSink = await buildSink(plan.sink, env);
      built.push({
        shown: sink.shown,
        route: {
          sink: sink.sink,
          ...(plan.name !== undefined ? { name: plan.name } : {}),
          ...(plan.filter !== undefined ? { filter: createFilter(plan.filter) } : {}),
          ...(plan.dedup !== undefined ? { dedup: createDedup(plan.dedup) } : {}),
          ...(plan.delivery !== undefined ? { delivery: plan.delivery } : {}),
        },
      });
    }
  } catch (error) {
    await closeRoutes(built);
    throw error;
  }
  return built;
}

/** Closes sinks that will not be used (a dry run, a failed start). */
export async function closeRoutes(routes: readonly BuiltRoute[]): Promise<void> {
  await Promise.allSettled(routes.map(({ route }) => route.sink.close?.()));
}
