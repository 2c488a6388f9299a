/** Where to connect, from the endpoint option. */
export interface RiemannServer {
  readonly host: string;
  readonly port: number;
  /** The endpoint said tls:// */
  readonly tls: boolean;
}

export const DEFAULT_PORT = 5555;

/**
 * Reads `host:port`, `[::1]:5555`, `host` (port 5555), and kube-eventer's
 * documented `http://host:5555` (the scheme was never used: it is TCP);
 * `tls://` asks for TLS. Undefined when it is none of these.
 */
export function parseServer(endpoint: string): RiemannServer | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(endpoint)?.[1]?.toLowerCase();
  if (scheme !== undefined && !['tcp', 'tls', 'http', 'https', 'riemann'].includes(scheme))
    return undefined;
  const rest = scheme === undefined ? endpoint : endpoint.slice(scheme.length + 3);
  const hostPort = rest.replace(/\/$/, '');
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(hostPort);
  if (!match) return undefined;
  const port = match[2] === undefined ? DEFAULT_PORT : Number(match[2]);
  if (port < 1 || port > 65_535) return undefined;
  const host = (match[1] as string).replace(/^\[(.*)\]$/, '$1');
  return { host, port, tls: scheme === 'tls' };
}
