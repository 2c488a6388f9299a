import type { Logger } from '@keventer/core';
import { option } from '@keventer/core/kit';

/** kube-eventer's codecs; zstd is left out: no well-kept pure-JS zstd codec for kafkajs exists. */
export const COMPRESSIONS = ['none', 'gzip', 'snappy', 'lz4'] as const;
export type KafkaCompression = (typeof COMPRESSIONS)[number];

/** The message value: kube-eventer's envelope, or the event's JSON alone. */
export const FORMATS = ['kube-eventer', 'event'] as const;
export type KafkaFormat = (typeof FORMATS)[number];

/** The message key: the involved object (kind/namespace/name), its uid, or none (kube-eventer). */
export const MESSAGE_KEYS = ['object', 'uid', 'none'] as const;
export type KafkaMessageKey = (typeof MESSAGE_KEYS)[number];

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

const isLogger = (value: unknown): value is Logger =>
  typeof value === 'object' &&
  value !== null &&
  ['debug', 'info', 'warn', 'error'].every(
    (name) => typeof (value as Record<string, unknown>)[name] === 'function',
  );

/**
 * kube-eventer's options (`kafka:?brokers=a:9092&brokers=b:9092&eventstopic=k8s`)
 * with its names and defaults, plus format, message_key, sasl_mechanism, tls,
 * timeout and, in code, a logger for kafkajs's own lines.
 */
export const kafkaOptions = {
  brokers: option.list({
    description: 'The bootstrap brokers, host:port (repeatable or comma-separated).',
    required: true,
  }),
  eventstopic: option.string({
    description: 'The topic events are written to.',
    default: 'heapster-events',
  }),
  compression: option.enum(COMPRESSIONS, {
    description: 'How each produce request is compressed (snappy and lz4 by pure-JS codecs).',
    default: 'none',
  }),
  format: option.enum(FORMATS, {
    description:
      'The message value: kube-eventer\'s {"EventValue","EventTimestamp","EventTags"}, or event: the event\'s own JSON.',
    default: 'kube-eventer',
  }),
  message_key: option.enum(MESSAGE_KEYS, {
    description:
      "The message key: object (<kind>/<namespace>/<name> of the involved object, so its events stay in order on one partition), uid (the object's uid), or none (kube-eventer: spread round-robin).",
    default: 'object',
  }),
  user: option.string({
    description: 'SASL user name (with password).',
  }),
  password: option.string({
    description: 'SASL password (with user).',
    secret: true,
  }),
  sasl_mechanism: option.enum(SASL_MECHANISMS, {
    description: "The SASL mechanism for user and password (kube-eventer's is plain).",
    default: 'plain',
  }),
  tls: option.boolean({
    description:
      "Connect with TLS, trusting the system's CAs; on by itself when cacert, cert or insecuressl is given.",
    default: false,
  }),
  cacert: option.string({
    description: "A PEM file of the CA that signed the brokers' certificates.",
  }),
  cert: option.string({
    description: 'A PEM file of the client certificate (with key), for TLS client authentication.',
  }),
  key: option.string({
    description: "A PEM file of the client certificate's private key (with cert).",
    secret: true,
  }),
  insecuressl: option.boolean({
    description: 'Accept any broker certificate (TLS without verification): for tests only.',
    default: false,
  }),
  timeout: option.duration({
    description: 'How long to wait for a broker connection, e.g. 10s (kube-eventer: 10s).',
    default: '10s',
    min: 100,
    max: 300_000,
  }),
  logger: option.custom(isLogger, {
    description:
      "Where kafkajs's own lines go (core's Logger shape; pino works). Silent when unset.",
    accepts: 'a logger with debug, info, warn and error methods',
  }),
};
