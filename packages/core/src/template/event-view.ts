import { isDigest } from '../aggregate/digest.js';
import type { KubeEvent } from '../event/model.js';

/**
 * What a template sees of an event: the normalized fields (`type`, `reason`,
 * `message`, `count`, `involvedObject.kind`, ...), `digest` for a digest,
 * then `extra` (a sink's `cluster_id`, `region`...). Paths missing there are
 * looked up in the object as received (`.Source.Component`, `.Metadata.Labels`).
 */
export function eventTemplateRoots(
  event: KubeEvent,
  extra: Readonly<Record<string, unknown>> = {},
): readonly unknown[] {
  const { raw, ...fields } = event;
  const view = isDigest(event)
    ? { ...fields, digest: { ...event.digest, last: undefined } }
    : fields;
  return [view, extra, raw];
}
