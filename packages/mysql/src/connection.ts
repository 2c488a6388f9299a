import { readFileSync } from 'node:fs';
import * as kit from '@keventer/core/kit';
import type { PoolOptions } from 'mysql2/promise';
import { parseDsn } from './dsn.js';
import type { mysqlOptions } from './options.js';

type Options = kit.ParsedOptions<typeof mysqlOptions>;

const TABLE_NAME = /^[A-Za-z0-9_$]{1,64}$/;
const CHARSETS = new Set(['utf8', 'utf8mb3', 'utf8mb4']);

/**
 * mysql2's pool options from the sink's, or a SinkConfigError listing every
 * bad value by name (the DSN and the password are never shown).
 */
export function poolOptions(sink: string, options: Options, connections: number): PoolOptions {
  const problems: string[] = [];
  let dsn: ReturnType<typeof parseDsn> | undefined;
  try {
    dsn = parseDsn(options.dsn);
  } catch (err) {
    problems.push(`option 'dsn': ${(err as Error).message}`);
  }
  if (dsn && dsn.query !== '') {
    problems.push(
      "option 'dsn': give its parameters (after '?') as options in code, e.g. mysql({ dsn, table })",
    );
  }
  if (dsn && dsn.database === '') {
    problems.push("option 'dsn' names no database: end it with /dbname");
  }
  if (dsn?.password !== undefined && options.password !== undefined) {
    problems.push("the password is given twice, in 'dsn' and in 'password': keep one");
  }
  if (!TABLE_NAME.test(options.table)) {
    problems.push(
      `option 'table': '${options.table}' is not a table name (letters, digits, _ and $, at most 64)`,
    );
  }
  for (const charset of options.charset ?? []) {
    if (!CHARSETS.has(charset.toLowerCase())) {
      problems.push(
        `option 'charset': '${charset}' cannot hold every event text; use utf8mb4 (connections use it anyway)`,
      );
    }
  }
  const ssl = tlsOptions(options, problems);
  if (problems.length > 0 || dsn === undefined) throw new kit.SinkConfigError(sink, problems);

  const password = options.password ?? dsn.password;
  return {
    ...(dsn.socketPath ? { socketPath: dsn.socketPath } : { host: dsn.host, port: dsn.port }),
    user: dsn.user,
    ...(password === undefined ? {} : { password }),
    database: dsn.database,
    charset: 'UTF8MB4_UNICODE_CI',
    connectTimeout: options.timeout,
    connectionLimit: connections,
    maxIdle: connections,
    idleTimeout: 60_000,
    enableKeepAlive: true,
    // Text in and out: no Date conversions in the process's zone.
    dateStrings: true,
    supportBigNumbers: true,
    multipleStatements: false,
    ...(ssl ? { ssl } : {}),
  };
}

function tlsOptions(options: Options, problems: string[]): PoolOptions['ssl'] | undefined {
  const files = { ca: options.tls_ca, cert: options.tls_cert, key: options.tls_key };
  const given = Object.values(files).some((f) => f !== undefined);
  if (options.tls === 'false' && !given) return undefined;
  if ((files.cert === undefined) !== (files.key === undefined)) {
    problems.push("options 'tls_cert' and 'tls_key' go together: give both or neither");
  }
  const ssl: Record<string, unknown> = { rejectUnauthorized: options.tls !== 'skip-verify' };
  for (const [name, path] of Object.entries(files)) {
    if (path === undefined) continue;
    try {
      ssl[name] = readFileSync(path, 'utf8');
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      problems.push(`option 'tls_${name}': cannot read '${path}' (${why})`);
    }
  }
  return ssl as PoolOptions['ssl'];
}
