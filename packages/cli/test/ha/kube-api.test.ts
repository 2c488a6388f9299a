import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeKubeApiServer } from '@keventer/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  configMapApiOf,
  describeApiError,
  leaseApiOf,
  statusCodeOf,
} from '../../src/ha/kube-api.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A KubeConfigLike on `server` with a bearer token, as core's in-cluster config makes it. */
function configFor(server: string, token: string) {
  return {
    getCurrentContext: () => 'test',
    getCurrentCluster: () => ({ name: 'test', server, skipTLSVerify: true }),
    getCurrentUser: () => ({ name: 'test' }),
    async applyToHTTPSOptions(options: { headers?: object }) {
      options.headers = { ...options.headers, authorization: `Bearer ${token}` };
    },
  };
}

describe('the Lease and ConfigMap JSON client', () => {
  it("a refused token is the apiserver's 401 Status, classified, without the token", async () => {
    const api = await FakeKubeApiServer.start({ token: 'right-token' });
    closers.push(() => api.close());
    const leases = leaseApiOf(configFor(api.url, 'revoked-secret-token'));
    const error = await leases.read('keventer', 'keventer').catch((e: unknown) => e);
    expect(statusCodeOf(error)).toBe(401);
    expect(describeApiError(error)).toMatch(/^HTTP 401/);
    expect(`${describeApiError(error)} ${(error as Error).message}`).not.toContain(
      'revoked-secret-token',
    );
    // The right token: a 404 for a Lease not made yet (what the elector creates on).
    const missing = await leaseApiOf(configFor(api.url, 'right-token'))
      .read('keventer', 'keventer')
      .catch((e: unknown) => e);
    expect(statusCodeOf(missing)).toBe(404);
  });

  it('gives up on an apiserver that never answers, after its timeout, as a network error (no status)', async () => {
    const server: Server = createServer(() => {
      // accepts, never answers
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });
    const { port } = server.address() as AddressInfo;
    const configMaps = configMapApiOf(configFor(`http://127.0.0.1:${port}`, 'secret-token'), 300);
    const started = Date.now();
    const error = await configMaps.read('a', 'b').catch((e) => e);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((error as Error).message).toBe(
      'GET /api/v1/namespaces/a/configmaps/b did not complete within 300 ms',
    );
    expect(statusCodeOf(error)).toBeUndefined();
  });
});
