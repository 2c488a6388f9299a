import * as kit from '@keventer/core/kit';
import { writeBulk } from './bulk.js';
import { elasticsearchOptions } from './options.js';

export const SINK_NAME = 'elasticsearch';

/** Options in code: `await elasticsearch({ endpoint: 'http://es:9200', index: 'k8s' })`. */
export type ElasticsearchOptions = kit.OptionsInput<typeof elasticsearchOptions>;

/** Elasticsearch 7/8/9 and OpenSearch 1/2 (5/6 with ver): one plain-HTTP `_bulk` per batch. */
export const elasticsearch = kit.defineSink({
  scheme: SINK_NAME,
  description:
    "Elasticsearch 7-9 and OpenSearch 1-2: kube-eventer's documents in daily indices, one _bulk per batch, _id from the occurrence.",
  options: elasticsearchOptions,
  deliveryFor: (options) => ({
    // A bulk of 500 events is ~1-2 MB, well under http.max_content_length (100 MB).
    batch: { maxEvents: 500, maxBytes: 5_000_000, timeoutMs: 1000 },
    // kube-eventer's bulkWorkers; writes are idempotent, so their order does not matter.
    request: {
      concurrency: options.bulkWorkers,
      timeoutMs: 30_000,
      ...(options.maxRetries === undefined ? {} : { retryAttempts: options.maxRetries }),
    },
  }),
  create(options) {
    const listed = options.nodes ?? [];
    const nodes = listed.length > 0 ? listed : options.endpoint ? [options.endpoint] : [];
    const problems: string[] = [];
    if (nodes.length === 0)
      problems.push("no server: give it before '?' (elasticsearch:http://es:9200) or as nodes=");
    for (const node of nodes) {
      const url = URL.canParse(node) ? new URL(node) : undefined;
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
        problems.push(`'${node}' is not an http(s) URL: write nodes=http://es-1:9200`);
      else if (url.username || url.password)
        problems.push("a node URL holds credentials: give them as 'esUserName' and 'esUserSecret'");
    }
    if (options.sigv4)
      problems.push(
        "'sigv4=true' is not supported: put a SigV4 signing proxy in front of the domain",
      );
    if (Boolean(options.esUserName) !== Boolean(options.esUserSecret))
      problems.push('give both esUserName and esUserSecret, or neither');
    if (
      !options.data_stream &&
      !/^[^A-Z\\/*?"<>| ,#:_.+-][^A-Z\\/*?"<>| ,#:]*$/.test(options.index)
    )
      problems.push(
        `index '${options.index}' is not a valid index name: lowercase, no spaces or \\/*?"<>|,#:, not starting with _ - +`,
      );
    if (options.data_stream && options.op_type === 'index')
      problems.push("a data stream takes only op_type=create: remove 'op_type=index'");
    if (problems.length > 0) throw new kit.SinkConfigError(SINK_NAME, problems);

    const credentials = `${options.esUserName}:${options.esUserSecret}`;
    const headers: Record<string, string> = options.esUserName
      ? { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` }
      : {};
    const server = {
      headers,
      sink: SINK_NAME,
      pipeline: options.pipeline,
    };
    const layout = {
      layout: options.layout,
      index: options.index,
      useNamespace: options.use_namespace,
      dataStream: options.data_stream,
      clusterName: options.cluster_name,
      opType: options.op_type,
      mappingType: Number(options.ver) <= 6 ? 'events' : '',
    };
    let next = 0;
    return kit.messageSink(SINK_NAME, (batch, signal) => {
      // Round-robin: the retry of a write that failed on one node goes to the next.
      const node = nodes[next++ % nodes.length] as string;
      return writeBulk(server, node, layout, batch, signal);
    });
  },
});
