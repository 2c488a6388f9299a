import type { ParsedSinkUri } from '@keventer/core/kit';

/** Where and as whom to connect, read from a Go MySQL DSN or a mysql:// URL. */
export interface DsnParts {
  readonly user: string;
  readonly password?: string;
  /** Set for tcp; `socketPath` for unix. */
  readonly host?: string;
  readonly port?: number;
  readonly socketPath?: string;
  readonly database: string;
  /** What follows the DSN's '?', undecoded: the URI's options, not read here. */
  readonly query: string;
}

const URL_FORM = /^mysql:\/\//i;
// user[:password]@net(addr)/db: the password runs to the last '@' that a net
// part follows (it may hold '@', ':' or '/'), as Go's ParseDSN allows.
const GO_DSN = /^(?:([^:@]*)(?::(.*))?@)?([a-z0-9]*)(?:\(([^()]*)\))?\/(.*)$/s;

/** Parses `dsn`; throws an Error whose message names the problem (never the password). */
export function parseDsn(dsn: string): DsnParts {
  return URL_FORM.test(dsn) ? parseUrl(dsn) : parseGoDsn(dsn);
}

function parseGoDsn(dsn: string): DsnParts {
  const m = GO_DSN.exec(dsn);
  if (!m) {
    throw new Error(
      "it is not a DSN of the form user:password@tcp(host:3306)/dbname (the '/dbname' is missing)",
    );
  }
  const [, user = '', password, net = '', addr = '', rest = ''] = m;
  const q = rest.indexOf('?');
  const database = q < 0 ? rest : rest.slice(0, q);
  const query = q < 0 ? '' : rest.slice(q + 1);
  const base = { user, ...(password === undefined ? {} : { password }), database, query };
  if (net === 'unix') {
    if (addr === '') throw new Error('unix() needs the socket path: unix(/run/mysqld/mysqld.sock)');
    return { ...base, socketPath: addr };
  }
  if (net !== '' && net !== 'tcp') {
    throw new Error(
      `the network '${net}' is not one this sink speaks: use tcp(host:port) or unix(/path)`,
    );
  }
  return { ...base, ...hostPort(addr === '' ? '127.0.0.1:3306' : addr) };
}

function parseUrl(text: string): DsnParts {
  if (!URL.canParse(text)) throw new Error('it is not a valid mysql:// URL');
  const url = new URL(text);
  const password = url.password === '' ? undefined : decodeURIComponent(url.password);
  return {
    user: decodeURIComponent(url.username),
    ...(password === undefined ? {} : { password }),
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? 3306 : Number(url.port),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')),
    query: url.search.replace(/^\?/, ''),
  };
}

// host, host:port, [::1]:port
function hostPort(addr: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*))(?::(\d{1,5}))?$/.exec(addr);
  const host = m?.[1] ?? m?.[2] ?? '';
  const port = m?.[3] === undefined ? 3306 : Number(m[3]);
  if (!m || host === '' || port < 1 || port > 65535) {
    throw new Error(`the address '${addr}' is not host:port (e.g. tcp(db.example:3306))`);
  }
  return { host, port };
}

/** A DSN without its password, to keep that apart in its own secret option. */
export function dsnWithoutPassword(dsn: string): string {
  if (URL_FORM.test(dsn)) {
    if (!URL.canParse(dsn)) return dsn;
    const url = new URL(dsn);
    url.password = '';
    return url.href;
  }
  const m = GO_DSN.exec(dsn);
  if (!m || m[2] === undefined) return dsn;
  const user = m[1] ?? '';
  // The match starts at 0: user, ':', the password, then the '@'.
  return `${user}@${dsn.slice(user.length + 1 + m[2].length + 1)}`;
}

const DELIVERY_PREFIXES = ['batch.', 'buffer.', 'request.', 'aggregate.'];

/**
 * kube-eventer's URI, `mysql:?user:pw@tcp(host:3306)/db?charset=utf8&table=kube_event`
 * (or `mysql:mysql://user:pw@host/db?table=...`), to raw options: the DSN
 * without its password as `dsn`, the password as `password`, and each of the
 * DSN's parameters as an option of its own name (the delivery engine's
 * `batch.*`... keys are core's). A DSN parameter the sink does not know is
 * refused by name, as any unknown option.
 */
export function rawOptionsFromUri(uri: ParsedSinkUri): Record<string, unknown> {
  const source =
    uri.target !== '' ? `${uri.target}${uri.rawQuery ? `?${uri.rawQuery}` : ''}` : uri.rawQuery;
  const raw: Record<string, string[]> = {};
  const add = (key: string, value: string) => {
    raw[key] = [...(raw[key] ?? []), value];
  };
  const { base, query } = splitQuery(source);
  let dsn = base;
  try {
    const { password } = parseDsn(base);
    dsn = dsnWithoutPassword(base);
    if (password !== undefined) add('password', password);
  } catch {
    // Not a DSN: create() says why, naming the dsn option.
  }
  add('dsn', dsn);
  for (const piece of query.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const key = decode(eq < 0 ? piece : piece.slice(0, eq));
    if (DELIVERY_PREFIXES.some((p) => key.startsWith(p))) continue;
    add(key, decode(eq < 0 ? '' : piece.slice(eq + 1)));
  }
  return raw;
}

/** The DSN and what follows its '?' (the first '?' after the database's '/' when it parses). */
function splitQuery(source: string): { base: string; query: string } {
  const m = URL_FORM.test(source) ? null : GO_DSN.exec(source);
  const rest = m?.[5];
  const q =
    rest === undefined ? source.indexOf('?') : source.length - rest.length + rest.indexOf('?');
  if (q < 0 || (rest !== undefined && !rest.includes('?'))) return { base: source, query: '' };
  return { base: source.slice(0, q), query: source.slice(q + 1) };
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
