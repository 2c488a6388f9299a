import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import * as kit from '@keventer/core/kit';
import { RiemannConnection } from './connection.js';
import { parseServer } from './endpoint.js';
import { riemannOptions } from './options.js';
import { writeBatch } from './write-batch.js';

export const SINK_NAME = 'riemann';

/** Options in code: `await riemann({ endpoint: 'riemann:5555', ttl: 120, tags: ['k8s'] })`. */
export type RiemannOptions = kit.OptionsInput<typeof riemannOptions>;

type Parsed = kit.ParsedOptions<typeof riemannOptions>;

/** Riemann over TCP (or TLS): kube-eventer's events as protobuf messages, each acknowledged. */
export const riemann = kit.defineSink({
  scheme: SINK_NAME,
  description:
    "Riemann over TCP or TLS: kube-eventer's events (service Kind.Reason, state, count as metric), one acknowledged protobuf message per batch.",
  options: riemannOptions,
  deliveryFor: (options) => ({
    // One message per batch: kube-eventer's batchsize is the batch size.
    batch: { maxEvents: options.batchsize, timeoutMs: 1000 },
    request: { timeoutMs: 15_000 },
  }),
  create(options) {
    const problems: string[] = [];
    const server = parseServer(options.endpoint);
    if (!server)
      problems.push(
        `endpoint '${options.endpoint}' is not host:port: write riemann:riemann.monitoring:5555`,
      );
    const tls = tlsOptions(options, server?.tls === true, problems);
    if (!server || problems.length > 0) throw new kit.SinkConfigError(SINK_NAME, problems);
    const connection = new RiemannConnection(SINK_NAME, server, tls);
    const target = {
      sink: SINK_NAME,
      connection,
      batchsize: options.batchsize,
      ttl: options.ttl,
      tags: options.tags,
    };
    return {
      ...kit.messageSink(SINK_NAME, (batch, signal) => writeBatch(target, batch, signal)),
      close: () => connection.close(),
    };
  },
});

/** TLS when asked for; the PEM files read once, here, so a wrong path fails at startup. */
function tlsOptions(
  options: Parsed,
  fromEndpoint: boolean,
  problems: string[],
): ConnectionOptions | undefined {
  const files = { ca: options.cacert, cert: options.cert, key: options.key };
  const wanted = options.tls || fromEndpoint || Object.values(files).some(Boolean);
  if (!wanted) {
    if (options.insecure) problems.push('insecure=true needs TLS: add tls=true');
    return undefined;
  }
  if (Boolean(options.cert) !== Boolean(options.key))
    problems.push('give both cert and key (a client certificate and its key), or neither');
  const read: Record<string, Buffer> = {};
  for (const [name, path] of Object.entries(files)) {
    if (!path) continue;
    try {
      read[name] = readFileSync(path);
    } catch (error) {
      const option = name === 'ca' ? 'cacert' : name;
      problems.push(`${option} '${path}' cannot be read: ${(error as Error).message}`);
    }
  }
  return { ...read, rejectUnauthorized: !options.insecure };
}
