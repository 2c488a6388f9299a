import type { KubeEvent } from '../event/model.js';

/**
 * What an event's JSON holds besides the fields summed below: field names,
 * quotes, uids, timestamps, kind and apiVersion. Measured on a typical
 * normalized event without `raw`: about 470.
 */
const FIXED_BYTES = 450;

/**
 * The default `sizeOf` for batching KubeEvents by `maxBytes`: a constant
 * plus the lengths of the fields that vary. It costs a few property reads,
 * where JSON.stringify per event would cost more than delivering it. It
 * counts UTF-16 code units (non-ASCII text is undercounted) and ignores
 * `raw`; a sink that sends `raw` or a very different format should pass its
 * own `sizeOf`.
 */
export function kubeEventSize(event: KubeEvent): number {
  const o = event.involvedObject;
  return (
    FIXED_BYTES +
    event.message.length +
    event.reason.length +
    event.name.length +
    event.namespace.length +
    event.reportingComponent.length +
    event.reportingInstance.length +
    event.host.length +
    event.action.length +
    o.name.length +
    o.fieldPath.length
  );
}
