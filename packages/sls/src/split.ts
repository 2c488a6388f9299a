import { logFieldSize } from './log-group.js';

/** SLS's limits for one PutLogs: 4096 logs, 5 MB of raw (uncompressed) LogGroup. */
export const MAX_LOGS_PER_GROUP = 4096;
export const MAX_GROUP_BYTES = 5_242_880; // 5 MiB
/** Room kept for the group's own fields (topic, source: at most a few hundred bytes each). */
const GROUP_OVERHEAD = 4096;

/** One request's share of a batch: the logs and their indices in the batch. */
export interface GroupPart {
  readonly indices: readonly number[];
  readonly logs: readonly Uint8Array[];
}

/**
 * Cuts encoded logs into groups SLS takes, in order. A log too big for any
 * group is returned apart (`tooBig`), to fail alone.
 */
export function splitIntoGroups(
  logs: readonly Uint8Array[],
  limits = { maxLogs: MAX_LOGS_PER_GROUP, maxBytes: MAX_GROUP_BYTES - GROUP_OVERHEAD },
): { parts: GroupPart[]; tooBig: number[] } {
  const parts: GroupPart[] = [];
  const tooBig: number[] = [];
  let indices: number[] = [];
  let group: Uint8Array[] = [];
  let bytes = 0;
  const close = () => {
    if (group.length > 0) parts.push({ indices, logs: group });
    indices = [];
    group = [];
    bytes = 0;
  };
  logs.forEach((log, index) => {
    const size = logFieldSize(log);
    if (size > limits.maxBytes) {
      tooBig.push(index);
      return;
    }
    if (group.length === limits.maxLogs || bytes + size > limits.maxBytes) close();
    indices.push(index);
    group.push(log);
    bytes += size;
  });
  close();
  return { parts, tooBig };
}
