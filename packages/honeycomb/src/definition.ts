import * as kit from '@keventer/core/kit';
import { honeycombOptions } from './options.js';
import { batchUrl, writeBatch } from './write-batch.js';

export const SINK_NAME = 'honeycomb';

/** Options in code: `await honeycomb({ dataset: 'k8s', writekey: process.env.HONEYCOMB_WRITEKEY })`. */
export type HoneycombOptions = kit.OptionsInput<typeof honeycombOptions>;

/** Honeycomb's batch API: kube-eventer's event fields, one gzipped request per batch, per-event statuses. */
export const honeycomb = kit.defineSink({
  scheme: SINK_NAME,
  description:
    "Honeycomb: kube-eventer's event fields, one gzipped /1/batch request per batch, each event's status checked.",
  options: honeycombOptions,
  delivery: {
    // ~300 bytes of JSON an event: 1000 events are ~0.3 MB, far under the 5 MB request limit.
    batch: { maxEvents: 1000, maxBytes: 4_500_000, timeoutMs: 1000 },
    request: { timeoutMs: 30_000 },
  },
  create(options) {
    const problems: string[] = [];
    if (options.dataset === '')
      problems.push("dataset is empty: name it (kube-eventer's default was heapster)");
    if (options.dataset.includes('/'))
      problems.push(`dataset '${options.dataset}' holds a '/', which Honeycomb does not allow`);
    const apihost = new URL(options.apihost);
    if (apihost.username || apihost.password || apihost.search)
      problems.push('apihost takes no credentials or query: give the key as writekey');
    if (problems.length > 0) throw new kit.SinkConfigError(SINK_NAME, problems);

    const target = {
      sink: SINK_NAME,
      url: batchUrl(options.apihost, options.dataset),
      writekey: options.writekey,
    };
    return kit.messageSink(SINK_NAME, (batch, signal) => writeBatch(target, batch, signal));
  },
});
