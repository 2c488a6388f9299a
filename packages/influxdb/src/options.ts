import { option } from '@keventer/core/kit';

/** How points are laid out: kube-eventer's two layouts, or a leaner one (docs/sinks/influxdb.md). */
export const LAYOUTS = ['kube-eventer', 'series'] as const;
export type InfluxLayout = (typeof LAYOUTS)[number];

/** Timestamp precisions of InfluxDB 1.x's /write (`ns` keeps the occurrence tie-breaker). */
export const PRECISIONS = ['ns', 'u', 'ms', 's'] as const;
export type InfluxPrecision = (typeof PRECISIONS)[number];

/**
 * kube-eventer's options and defaults (user/pw root/root, db k8s, withfields
 * false, cluster_name default), plus retention, precision, auto_create and layout.
 * In a URI the server is the URL before '?': `influxdb:http://influxdb:8086?db=k8s&pw=$PW`.
 */
export const influxdbOptions = {
  endpoint: option.url({
    description: "The InfluxDB 1.x server's base URL, e.g. http://influxdb:8086 (a path is kept).",
    default: 'http://localhost:8086',
    protocols: ['http', 'https'],
  }),
  user: option.string({ description: 'The user, sent with HTTP Basic auth.', default: 'root' }),
  pw: option.string({
    description: "The user's password, sent with HTTP Basic auth.",
    default: 'root',
    secret: true,
  }),
  db: option.string({ description: 'The database written to.', default: 'k8s' }),
  retention: option.string({
    description:
      "The retention policy written to; empty for the database's default (kube-eventer parsed it but wrote to 'default').",
    default: '',
  }),
  auto_create: option.boolean({
    description:
      'Create the database (and the retention policy) when the server says it does not exist.',
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
  insecuressl: option.boolean({
    description:
      "kube-eventer's switch to skip TLS verification: only false is accepted; trust a private CA with NODE_EXTRA_CA_CERTS.",
    default: false,
  }),
};
