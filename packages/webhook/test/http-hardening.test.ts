import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { failingWrite, podEvent, selfSignedCertificate } from '@keventer/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { webhook } from '../src/index.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** An HTTPS receiver with a certificate made for this test, which nothing trusts. */
async function selfSignedReceiver(): Promise<{ url: string; requests: number }> {
  const state = { url: '', requests: 0 };
  const server = createServer(selfSignedCertificate(), (_req, res) => {
    state.requests++;
    res.end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return state;
}

describe('webhook: TLS failures say why', () => {
  it('a self-signed certificate is permanent, with its code and how to fix it', async () => {
    const receiver = await selfSignedReceiver();
    const sink = await webhook({
      endpoint: receiver.url,
      header: ['Authorization=Bearer tls-test-token'],
    });
    const error = await failingWrite(sink, [podEvent('web-1')]);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(error.message).toContain('NODE_EXTRA_CA_CERTS');
    expect(receiver.requests).toBe(0);
    expect(`${error.message}${String(error.stack)}`).not.toContain('tls-test-token');
  });
});
