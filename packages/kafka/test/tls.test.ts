import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { normalizeEvent } from '@keventer/core';
import type { Sink } from '@keventer/core/kit';
import { buildEvent, selfSignedCertificate } from '@keventer/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { kafka } from '../src/index.js';

/**
 * The TLS options against a TLS server with the test kit's self-signed
 * certificate that records each handshake and then hangs up: enough to see
 * which options make kafkajs trust it and present a client certificate.
 */
let dir: string;
let server: Server;
let port: number;
const handshakes: { clientCn: string | undefined }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keventer-kafka-tls-'));
  const { key, cert } = selfSignedCertificate();
  await writeFile(join(dir, 'key.pem'), key);
  await writeFile(join(dir, 'cert.pem'), cert);
  // The same certificate is the broker's, the CA of clients, and the client's.
  server = createServer({ key, cert, ca: cert, requestCert: true, rejectUnauthorized: false });
  server.on('secureConnection', (socket: TLSSocket) => {
    const peer = socket.getPeerCertificate();
    const cn = peer && 'subject' in peer ? peer.subject?.CN : undefined;
    handshakes.push({ clientCn: Array.isArray(cn) ? cn[0] : cn });
    socket.destroy();
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
}, 30_000);
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const sinks: Sink[] = [];
afterEach(async () => {
  handshakes.splice(0);
  for (const sink of sinks.splice(0)) await sink.close?.();
});
async function attempt(options: Record<string, unknown>) {
  const sink = await kafka({ brokers: [`127.0.0.1:${port}`], timeout: '2s', ...options });
  sinks.push(sink);
  return sink.write([normalizeEvent(buildEvent())], { signal: new AbortController().signal }).then(
    () => undefined,
    (e: unknown) => e as { retryable: boolean; message: string },
  );
}

describe('TLS to the brokers', () => {
  it('fails permanently on a certificate it does not trust, saying to give cacert', async () => {
    const error = await attempt({ tls: true });
    expect(error?.retryable).toBe(false);
    expect(error?.message).toMatch(/self.signed|SELF_SIGNED/i);
    expect(error?.message).toMatch(/cacert=/);
    expect(handshakes).toHaveLength(0);
  });

  it("trusts the brokers' CA from kube-eventer's cacert file", async () => {
    await attempt({ cacert: join(dir, 'cert.pem') });
    expect(handshakes).toHaveLength(1);
    expect(handshakes[0]?.clientCn).toBeUndefined(); // no client certificate asked for
  });

  it('presents the client certificate from cert and key', async () => {
    await attempt({
      cacert: join(dir, 'cert.pem'),
      cert: join(dir, 'cert.pem'),
      key: join(dir, 'key.pem'),
    });
    expect(handshakes[0]?.clientCn).toBe('127.0.0.1');
  });

  it('accepts any certificate with insecuressl=true alone', async () => {
    await attempt({ insecuressl: true });
    expect(handshakes).toHaveLength(1);
  });
});
