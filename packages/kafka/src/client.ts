import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import * as kit from '@keventer/core/kit';
import kafkajs, { type KafkaConfig, type SASLOptions } from 'kafkajs';
import { kafkajsLogCreator } from './log.js';
import type { kafkaOptions } from './options.js';

type Options = kit.ParsedOptions<typeof kafkaOptions>;

// kafkajs is CommonJS: taken from its module object, as Node's ESM loader needs.
const { logLevel } = kafkajs;

/** How long the broker waits for every in-sync replica (acks=-1) before it answers. */
export const ACK_TIMEOUT_MS = 30_000;

// Kafka's topic names: at most 249 of [a-zA-Z0-9._-], not . or ..
const TOPIC_NAME = /^(?!\.{1,2}$)[a-zA-Z0-9._-]{1,249}$/;
const BROKER = /^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):(\d{1,5})$/;

/**
 * kafkajs's client settings from the options, or a SinkConfigError naming
 * every bad value (never a password or a key's content). kafkajs's own
 * retries are off: one write is one attempt, and core's engine retries.
 */
export function kafkaConfig(sink: string, options: Options): KafkaConfig {
  const problems: string[] = [];
  for (const broker of options.brokers) {
    const m = BROKER.exec(broker);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
      problems.push(`option 'brokers': '${broker}' is not host:port (e.g. kafka-0:9092)`);
    }
  }
  if (options.brokers.length === 0) problems.push("option 'brokers': give at least one host:port");
  if (!TOPIC_NAME.test(options.eventstopic)) {
    problems.push(
      `option 'eventstopic': '${options.eventstopic}' is not a topic name (at most 249 of a-z A-Z 0-9 . _ -)`,
    );
  }
  const sasl = saslOptions(options, problems);
  const ssl = tlsOptions(options, problems);
  if (problems.length > 0) throw new kit.SinkConfigError(sink, problems);
  return {
    clientId: 'keventer',
    brokers: [...options.brokers],
    connectionTimeout: options.timeout,
    // Longer than the time the broker waits for the in-sync replicas.
    requestTimeout: ACK_TIMEOUT_MS + 5_000,
    retry: { retries: 0 },
    ...(sasl ? { sasl } : {}),
    ...(ssl === undefined ? {} : { ssl }),
    logLevel: options.logger ? logLevel.INFO : logLevel.NOTHING,
    logCreator: kafkajsLogCreator(options.logger, [options.password]),
  };
}

function saslOptions(options: Options, problems: string[]): SASLOptions | undefined {
  const { user, password } = options;
  if (user === undefined && password === undefined) return undefined;
  // kube-eventer turned SASL off when one was missing; that only fails later, at the broker.
  if (user === undefined || user === '' || password === undefined) {
    problems.push("options 'user' and 'password' go together (SASL): give both or neither");
    return undefined;
  }
  return { mechanism: options.sasl_mechanism, username: user, password };
}

function tlsOptions(options: Options, problems: string[]): ConnectionOptions | boolean | undefined {
  const { cacert, cert, key, insecuressl } = options;
  if ((cert === undefined) !== (key === undefined)) {
    problems.push("options 'cert' and 'key' go together (TLS client authentication): give both");
  }
  if (!options.tls && cacert === undefined && cert === undefined && !insecuressl) return undefined;
  const tls: ConnectionOptions = {};
  if (insecuressl) tls.rejectUnauthorized = false;
  if (cacert !== undefined) tls.ca = pem('cacert', cacert, problems);
  if (cert !== undefined && key !== undefined) {
    tls.cert = pem('cert', cert, problems);
    tls.key = pem('key', key, problems);
  }
  return Object.keys(tls).length === 0 ? true : tls;
}

/** A PEM file's content (or, from code, the PEM text itself). */
function pem(name: string, value: string, problems: string[]): string {
  if (value.includes('-----BEGIN ')) return value;
  try {
    return readFileSync(value, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    problems.push(`option '${name}': cannot read the PEM file '${value}' (${code})`);
    return '';
  }
}
