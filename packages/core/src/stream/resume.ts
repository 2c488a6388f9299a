import type { StreamContext } from './context.js';
import type { ListMode } from './list.js';
import { sinceToCutoffMs } from './since.js';

/**
 * Where reading starts: from a saved checkpoint of the same scope (no list when
 * it has a position: the watch resumes there, and a 410 turns into a relist),
 * else with a list of what happened since `since`.
 */
export async function startingList(ctx: StreamContext): Promise<ListMode | undefined> {
  const { checkpoint: store, logger, since } = ctx.options;
  const scope = ctx.resource.scope;
  const checkpoint = store ? await store.load() : undefined;
  if (checkpoint && checkpoint.scope !== scope) {
    logger.warn(
      { saved: checkpoint.scope, now: scope },
      'checkpoint is for another scope: ignored',
    );
  } else if (checkpoint) {
    const listCutoffMs = ctx.progress.restore(checkpoint);
    logger.info({ resourceVersion: checkpoint.resourceVersion }, 'resuming from checkpoint');
    ctx.stats.ready = true;
    if (checkpoint.resourceVersion) return undefined;
    // Saved before the first list completed: that list again, from its start point.
    return { cutoffMs: listCutoffMs ?? sinceToCutoffMs(since), position: '' };
  }
  return { cutoffMs: sinceToCutoffMs(since), position: '' };
}
