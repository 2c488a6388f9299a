import { option } from '@keventer/core/kit';

/** How points are laid out: kube-eventer's two layouts, or a leaner one (docs/sinks/influxdb.md). */
export const LAYOUTS = ['kube-eventer', 'series'] as const;
export type InfluxLayout = (typeof LAYOUTS)[number];

/** Which write API: `auto` is 2.x's `/api/v2/write` when a token is given, else 1.x's `/write`. */
export const APIS = ['auto', 'v1', 'v2'] as const;
export type InfluxApi = (typeof APIS)[number];

/** Timestamp precisions of InfluxDB 1.x's /write (`ns` keeps the occurrence tie-breaker); `u` is sent as 2.x's `us`. */
export const PRECISIONS = ['ns', 'u', 'ms', 's'] as const;
export type InfluxPrecision = (typeof PRECISIONS)[number];

/**
 * kube-eventer's options and defaults (user/pw root/root, db k8s, withfields
 * false, cluster_name default), plus retention, precision, auto_create and layout;
 * token, org, bucket and api for InfluxDB 2.x/3.x's /api/v2/write.
 * In a URI the server is the URL before '?': `influxdb:http://influxdb:8086?db=k8s&pw=$PW`,
 * `influxdb:http://influxdb:8086?token=$INFLUX_TOKEN&org=ops&bucket=k8s`.
 */
export const influxdbOptions = {
  endpoint: option.url({
    description: "The InfluxDB server's base URL, e.g. http://influxdb:8086 (a path is kept).",
    default: 'http://localhost:8086',
    protocols: ['http', 'https'],
  }),
  user: option.string({
    description: 'The user, sent with HTTP Basic auth (1.x API only).',
    default: 'root',
  }),
  pw: option.string({
    description: "The user's password, sent with HTTP Basic auth (1.x API only).",
    default: 'root',
    secret: true,
  }),
  db: option.string({
    description: "The database written to; on the 2.x API the bucket when 'bucket' is not given.",
    default: 'k8s',
  }),
  retention: option.string({
    description:
      "The retention policy written to; empty for the database's default (kube-eventer parsed it but wrote to 'default').",
    default: '',
  }),
  auto_create: option.boolean({
    description:
      'Create the database (and the retention policy) when the server says it does not exist (1.x API only).',
    default: true,
  }),
  withfields: option.boolean({
    description:
      "kube-eventer's layout: false writes measurement log/events with the event JSON in 'value'; true writes measurement events with the event's fields as tags.",
    default: false,
  }),
  layout: option.enum(LAYOUTS, {
    description:
      'kube-eventer (its measurements, per withfields) or series (measurement kube_events, bounded tags, the rest as fields).',
    default: 'kube-eventer',
  }),
  cluster_name: option.string({
    description: 'The cluster_name tag on every point.',
    default: 'default',
  }),
  precision: option.enum(PRECISIONS, {
    description:
      'The timestamp precision; ns keeps a tie-breaker so two occurrences in one millisecond stay two points.',
    default: 'ns',
  }),
  token: option.string({
    description:
      "An InfluxDB 2.x/3.x API token, sent as 'Authorization: Token ...'; giving one selects the 2.x write API.",
    default: '',
    secret: true,
  }),
  org: option.string({
    description: "The 2.x organization's name (InfluxDB 3.x ignores it).",
    default: '',
  }),
  bucket: option.string({
    description:
      "The 2.x/3.x bucket (3.x: database); empty for 'db', or 'db/retention' when a retention is given.",
    default: '',
  }),
  api: option.enum(APIS, {
    description:
      'auto (v2 when a token is given), v1 (/write with user and pw), or v2 (/api/v2/write, also without a token for a 3.x server without auth).',
    default: 'auto',
  }),
  insecuressl: option.boolean({
    description:
      "kube-eventer's switch to skip TLS verification: only false is accepted; trust a private CA with NODE_EXTRA_CA_CERTS.",
    default: false,
  }),
};
