import { option } from '@keventer/core/kit';

/** Document layouts (docs/sinks/elasticsearch.md): kube-eventer's, or flat lowercase fields. */
export const LAYOUTS = ['kube-eventer', 'keventer'] as const;
export type EsLayout = (typeof LAYOUTS)[number];

/** kube-eventer's `ver` values, and the majors it never knew. 6 and below write `_type: events`. */
export const VERSIONS = ['2', '5', '6', '7', '8', '9'] as const;

/** `create` never overwrites (a replay answers 409, counted as delivered); `index` overwrites. */
export const OP_TYPES = ['create', 'index'] as const;

/**
 * kube-eventer's options (`elasticsearch:http://es:9200?index=k8s&ver=7`, or
 * `elasticsearch:?nodes=http://a:9200&nodes=http://b:9200`), plus layout,
 * op_type and data_stream.
 */
export const elasticsearchOptions = {
  endpoint: option.url({
    description:
      'The server, e.g. http://es:9200 (a path is kept, for a proxy); nodes, when given, is used instead.',
    protocols: ['http', 'https'],
  }),
  nodes: option.list({
    description:
      'The cluster nodes (repeatable); each write goes to the next one, so a failed one is retried on another.',
  }),
  ver: option.enum(VERSIONS, {
    description:
      "The server's major version: 7, 8, 9 and OpenSearch 1/2 take the same requests; 2, 5 and 6 get _type events (kube-eventer's default was 5).",
    default: '7',
  }),
  index: option.string({
    description:
      'The index prefix: documents go to <index>-YYYY.MM.DD by the occurrence time (UTC).',
    default: 'heapster',
  }),
  use_namespace: option.boolean({
    description: "Put the event's namespace in the index name: <index>-<namespace>-YYYY.MM.DD.",
    default: false,
  }),
  data_stream: option.string({
    description:
      'Write to this data stream instead of daily indices (op_type create, @timestamp added); it needs a matching index template.',
    default: '',
  }),
  esUserName: option.string({ description: 'The user, sent with HTTP Basic auth.', default: '' }),
  esUserSecret: option.string({
    description: "The user's password, sent with HTTP Basic auth.",
    default: '',
    secret: true,
  }),
  pipeline: option.string({
    description: 'The ingest pipeline every document goes through (none by default).',
    default: '',
  }),
  cluster_name: option.string({
    description: "The cluster name written in each document's EventTags.cluster_name.",
    default: 'default',
  }),
  layout: option.enum(LAYOUTS, {
    description:
      "kube-eventer (its EsSinkPoint document) or keventer (flat lowercase fields with @timestamp, for Kibana's data views).",
    default: 'kube-eventer',
  }),
  op_type: option.enum(OP_TYPES, {
    description:
      'create (a replayed occurrence answers 409 and counts as delivered) or index (a replay overwrites it).',
    default: 'create',
  }),
  bulkWorkers: option.number({
    description: 'Bulk requests in flight at once (core: request.concurrency).',
    integer: true,
    min: 1,
    max: 64,
    default: 5,
  }),
  maxRetries: option.number({
    description:
      'Retries of a failed batch (core: request.retryAttempts); unset, retries last request.retryMaxDurationMs.',
    integer: true,
    min: 0,
  }),
  healthCheck: option.boolean({
    description:
      "kube-eventer's client health check: accepted and ignored (each write is checked).",
  }),
  sniff: option.boolean({
    description: "kube-eventer's node sniffing: accepted and ignored; list the nodes in nodes.",
  }),
  startupHealthcheckTimeout: option.number({
    description: "kube-eventer's startup check timeout in seconds: accepted and ignored.",
    min: 0,
  }),
  sigv4: option.boolean({
    description: "kube-eventer's AWS SigV4 signing: not supported, only false is accepted.",
    default: false,
  }),
};
