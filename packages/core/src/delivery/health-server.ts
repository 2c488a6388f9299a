import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Health } from './health.js';

export interface HealthServerOptions {
  /** @default 8084 (kube-eventer's --healthz-port) */
  readonly port?: number;
  /** @default '0.0.0.0' */
  readonly host?: string;
  /** The `/metrics` body (Prometheus text); without it `/metrics` is 404. */
  readonly metrics?: () => Promise<string> | string;
}

/** Serves `/healthz` (liveness), `/readyz` (readiness) and `/metrics`; 503 with the problems when not ok. */
export async function serveHealth(
  health: () => Health,
  options: HealthServerOptions = {},
): Promise<Server & { readonly url: string }> {
  const { port = 8084, host = '0.0.0.0', metrics } = options;
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz' || path === '/readyz') {
      const state = health();
      const ok = path === '/healthz' ? state.healthy : state.ready && state.healthy;
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          ok,
          ready: state.ready,
          healthy: state.healthy,
          problems: state.problems,
        }),
      );
      return;
    }
    if (path === '/metrics' && metrics) {
      try {
        const body = await metrics();
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(body);
      } catch (error) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`metrics failed: ${(error as Error).message}`);
      }
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found: try /healthz, /readyz or /metrics\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return Object.assign(server, { url: `http://${shownHost}:${address.port}` });
}
