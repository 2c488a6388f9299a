import * as kit from '@keventer/core/kit';
import { toLines } from './line-protocol.js';
import { influxdbOptions } from './options.js';
import { toPoint } from './points.js';
import { writeLines } from './server.js';
import { writeLinesV2 } from './server-v2.js';

export const SINK_NAME = 'influxdb';

/** Options in code: `await influxdb({ endpoint: 'http://influxdb:8086', pw })`. */
export type InfluxdbOptions = kit.OptionsInput<typeof influxdbOptions>;

/** InfluxDB 1.x (/write), 2.x and 3.x (/api/v2/write): one write of line protocol per batch, a point per event. */
export const influxdb = kit.defineSink({
  scheme: SINK_NAME,
  description:
    "InfluxDB 1.x, 2.x and 3.x: kube-eventer's measurements, one write per batch, a replayed occurrence overwrites its own point.",
  options: influxdbOptions,
  delivery: {
    // kube-eventer sent at most 1000 points a write; InfluxDB takes 25 MB bodies.
    batch: { maxEvents: 1000, maxBytes: 5_000_000, timeoutMs: 1000 },
    // Writes are idempotent and their order does not matter: two may overlap.
    request: { concurrency: 2, timeoutMs: 30_000 },
  },
  create(options) {
    const endpoint = new URL(options.endpoint);
    const v2 = options.api === 'v2' || (options.api === 'auto' && options.token !== '');
    const problems: string[] = [];
    if (endpoint.username || endpoint.password)
      problems.push(
        `the URL holds credentials: give them as ${v2 ? "'token'" : "'user' and 'pw'"} instead`,
      );
    if (options.insecuressl && endpoint.protocol === 'https:')
      problems.push(
        "'insecuressl=true' is not supported: trust the server's CA with NODE_EXTRA_CA_CERTS=/path/ca.pem",
      );
    if (options.db === '' && options.bucket === '')
      problems.push("'db' is empty: name the database, e.g. db=k8s");
    if (!v2 && options.token !== '')
      problems.push("'token' is for the 2.x API: remove it, or set api=v2 (or auto)");
    for (const name of ['org', 'bucket'] as const)
      if (!v2 && options[name] !== '')
        problems.push(`'${name}' is for the 2.x API: give a 'token' too, or set api=v2`);
    if (problems.length > 0) throw new kit.SinkConfigError(SINK_NAME, problems);
    const layout = {
      layout: options.layout,
      withfields: options.withfields,
      clusterName: options.cluster_name,
      precision: options.precision,
    };
    const lines = (batch: readonly kit.KubeEvent[]) =>
      toLines(batch.map((event) => toPoint(event, layout)));
    if (v2) {
      const v2server = {
        sink: SINK_NAME,
        endpoint: options.endpoint,
        token: options.token,
        org: options.org,
        // The name 2.x's 1.x compatibility gives a database and retention policy.
        bucket:
          options.bucket || (options.retention ? `${options.db}/${options.retention}` : options.db),
        precision: options.precision,
      };
      return kit.messageSink(SINK_NAME, (batch, signal) =>
        writeLinesV2(v2server, lines(batch), signal),
      );
    }
    const server = {
      sink: SINK_NAME,
      endpoint: options.endpoint,
      user: options.user,
      pw: options.pw,
      db: options.db,
      retention: options.retention,
      precision: options.precision,
      autoCreate: options.auto_create,
    };
    return kit.messageSink(SINK_NAME, (batch, signal) => writeLines(server, lines(batch), signal));
  },
});
