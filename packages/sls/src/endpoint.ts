import { isIP } from 'node:net';

/** Where a project's requests go. SLS routes by the Host header: `<project>.<endpoint>`. */
export interface SlsTarget {
  readonly protocol: 'http:' | 'https:';
  /** What the socket connects to: the project's host, or the endpoint itself when it is an IP. */
  readonly connectHost: string;
  readonly port: number;
  /** `<project>.<endpoint host>[:port]`: the service reads the project from it. */
  readonly host: string;
  /** For messages: https://my-project.cn-hangzhou.log.aliyuncs.com */
  readonly origin: string;
}

/** The region's endpoint, as kube-eventer builds it (`internal` is its default). */
export function regionEndpoint(regionId: string, internal: boolean): string {
  return `https://${regionId}${internal ? '-intranet' : ''}.log.aliyuncs.com`;
}

/**
 * The target of a project on an endpoint (`cn-hangzhou.log.aliyuncs.com`,
 * `https://...`, `http://10.0.0.5:8080`); https when no scheme is given.
 * Returns a problem to report instead when the endpoint is not one.
 */
export function projectTarget(endpoint: string, project: string): SlsTarget | string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`;
  const url = URL.canParse(withScheme) ? new URL(withScheme) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    return `endpoint '${endpoint}' is not a host or an http(s) URL: write cn-hangzhou.log.aliyuncs.com`;
  if (url.pathname !== '/' || url.search || url.username || url.password)
    return `endpoint '${endpoint}' has more than a host: give only the scheme, host and port`;
  const protocol = url.protocol;
  const port = url.port ? Number(url.port) : protocol === 'https:' ? 443 : 80;
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const host = `${project}.${url.host}`;
  // An IP (a private link, a local test server) has no <project>. name: connect to it,
  // and still say the project in Host.
  const direct = isIP(hostname) !== 0 || hostname === 'localhost';
  return {
    protocol,
    connectHost: direct ? hostname : `${project}.${hostname}`,
    port,
    host,
    origin: `${protocol}//${host}`,
  };
}
