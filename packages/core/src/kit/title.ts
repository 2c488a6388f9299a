import type { KubeEvent } from '../event/model.js';
import { renderTitle } from './event-fields.js';

/**
 * A message's title for a batch: the first event's title, then how many
 * more the message holds (` and 2 more`, or as `more` words it).
 */
export function batchTitle(
  batch: readonly KubeEvent[],
  more: (count: number) => string = (count) => ` and ${count} more`,
): string {
  const [first] = batch;
  if (first === undefined) return '';
  return batch.length === 1 ? renderTitle(first) : `${renderTitle(first)}${more(batch.length - 1)}`;
}
