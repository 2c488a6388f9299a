import { EventStream, inClusterConfig } from '@keventer/core';
import { afterEach, describe, expect, it } from 'vitest';
import { buildEvent, FakeKubeApiServer } from '../src/index.js';

const servers: FakeKubeApiServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function tlsServer(): Promise<FakeKubeApiServer> {
  const server = await FakeKubeApiServer.start({ tls: true, token: 'sa-token' });
  servers.push(server);
  server.createEvent(buildEvent({ message: 'over TLS' }));
  return server;
}

async function firstMessage(stream: EventStream): Promise<string> {
  for await (const event of stream) return event.message;
  throw new Error('the stream ended');
}

describe('the fake API server over TLS', () => {
  it('serves a pod-like service account: token, and a CA that verifies it', async () => {
    const server = await tlsServer();
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const kubeConfig = inClusterConfig({
      serviceAccountDir: server.serviceAccountDir(),
      server: server.url,
    });
    expect(await firstMessage(new EventStream({ kubeConfig, since: 'all' }))).toBe('over TLS');
    expect(server.requests[0]?.path).toBe('/api/v1/events');
  });

  it('writes a kubeconfig that verifies the certificate instead of skipping verification', async () => {
    const server = await tlsServer();
    expect(server.kubeconfig()).toContain('certificate-authority-data:');
    expect(server.kubeconfig()).not.toContain('insecure-skip-tls-verify');
    const path = await server.writeKubeconfig(`${server.serviceAccountDir()}/kubeconfig`);
    expect(await firstMessage(new EventStream({ kubeConfig: path, since: 'all' }))).toBe(
      'over TLS',
    );
  });

  it('is refused by a client that trusts another CA', async () => {
    const server = await tlsServer();
    const other = await tlsServer();
    const dir = server.serviceAccountDir();
    const kubeConfig = inClusterConfig({ serviceAccountDir: dir, server: other.url });
    const failure = await firstMessage(new EventStream({ kubeConfig, since: 'all' })).catch(
      (error: Error) => error.message,
    );
    expect(failure).toMatch(/certificate/i);
  });
});
