import * as kit from '@keventer/core/kit';
import { TableProblem } from './table.js';

/** How a server error is handled, and what fixes it. */
interface Meaning {
  readonly retryable: boolean;
  readonly hint?: string;
}

const retry = (hint?: string): Meaning => ({ retryable: true, ...(hint ? { hint } : {}) });
const fix = (hint: string): Meaning => ({ retryable: false, hint });
const TYPE_HINT =
  "a value does not fit its column's type: the table is not in the layout the sink writes (check layout=, or the column's type)";

/**
 * The server's and mysql2's error codes. Lost connections, lock waits,
 * deadlocks, a full server are passing; credentials, grants, a missing
 * database or table and type errors need someone to fix them. The rest goes
 * to the kit's classification (network codes retryable, bad certificates
 * permanent, the unknown retryable within the engine's budget).
 */
const CODES: Readonly<Record<string, Meaning>> = {
  PROTOCOL_CONNECTION_LOST: retry('the connection to the server was lost'),
  PROTOCOL_SEQUENCE_TIMEOUT: retry('the server did not answer in time'),
  ER_LOCK_WAIT_TIMEOUT: retry('a lock wait timed out'),
  ER_LOCK_DEADLOCK: retry('a deadlock; the transaction was rolled back'),
  ER_CON_COUNT_ERROR: retry('the server has too many connections'),
  ER_TOO_MANY_USER_CONNECTIONS: retry('the user has too many connections'),
  ER_USER_LIMIT_REACHED: retry('the user reached a resource limit'),
  ER_SERVER_SHUTDOWN: retry('the server is shutting down'),
  ER_QUERY_INTERRUPTED: retry('the query was interrupted'),
  ER_CONNECTION_KILLED: retry('the connection was killed'),
  ER_OUT_OF_RESOURCES: retry('the server is out of memory'),
  ER_DISK_FULL: retry("the server's disk is full"),
  ER_RECORD_FILE_FULL: retry('the table is full'),
  ER_OPTION_PREVENTS_STATEMENT: retry('the server is read-only (a failover in progress?)'),
  ER_LOCK_TABLE_FULL: retry('the lock table is full'),
  ER_ACCESS_DENIED_ERROR: fix('check the user and password of the DSN'),
  ER_DBACCESS_DENIED_ERROR: fix("grant the DSN's user access to the database"),
  ER_TABLEACCESS_DENIED_ERROR: fix(
    "grant the DSN's user INSERT on the table (and SELECT, CREATE for create_table)",
  ),
  ER_HOST_IS_BLOCKED: fix('the server blocked this host after failed connects: FLUSH HOSTS on it'),
  ER_HOST_NOT_PRIVILEGED: fix("the DSN's user may not connect from this host"),
  ER_BAD_DB_ERROR: fix("the DSN's database does not exist: create it (CREATE DATABASE ...)"),
  ER_NO_SUCH_TABLE: fix('the table does not exist: create it, or set create_table=true'),
  ER_BAD_FIELD_ERROR: fix("a column is missing: the table is not in the sink's layout"),
  ER_DATA_TOO_LONG: fix(TYPE_HINT),
  ER_TRUNCATED_WRONG_VALUE: fix(TYPE_HINT),
  ER_TRUNCATED_WRONG_VALUE_FOR_FIELD: fix(TYPE_HINT),
  ER_WARN_DATA_OUT_OF_RANGE: fix(TYPE_HINT),
  ER_BAD_NULL_ERROR: fix(TYPE_HINT),
  ER_NO_DEFAULT_FOR_FIELD: fix('a column the sink does not write has no default: give it one'),
  ER_NET_PACKET_TOO_LARGE: fix(
    "the batch is over the server's max_allowed_packet: lower batch.maxBytes or batch.maxEvents, or raise max_allowed_packet",
  ),
  ER_PARSE_ERROR: fix('the server refused the statement (a bug: please report it)'),
  HANDSHAKE_NO_SSL_SUPPORT: fix('the server does not speak TLS: set tls=false'),
};

interface ServerError {
  code?: unknown;
  errno?: unknown;
  sqlMessage?: unknown;
  message?: unknown;
}

/**
 * mysql2 gives every TLS handshake failure the code HANDSHAKE_SSL_ERROR,
 * overwriting Node's (SELF_SIGNED_CERT_IN_CHAIN...): only the message tells
 * a certificate that will never verify from a connection lost mid-handshake.
 */
const CERTIFICATE_PROBLEM = /certificate|self[- ]signed|altnames|issuer|unable to verify/i;
const TLS_HINT =
  "the server's certificate did not verify: give the CA that signed it as tls_ca (a PEM file), connect by a name the certificate holds, or set tls=skip-verify to encrypt without verifying";

function handshakeMeaning(text: string): Meaning {
  return CERTIFICATE_PROBLEM.test(text)
    ? fix(TLS_HINT)
    : retry('the TLS handshake was interrupted');
}

/** A SinkError for what a write threw: the server's code decides, then the kit's rules. */
export function writeError(sink: string, err: unknown): kit.SinkError {
  if (err instanceof TableProblem) return kit.permanentError(sink, err.message, { cause: err });
  const e = (typeof err === 'object' && err !== null ? err : {}) as ServerError;
  const meaning =
    e.code === 'HANDSHAKE_SSL_ERROR'
      ? handshakeMeaning(String(e.message ?? ''))
      : typeof e.code === 'string'
        ? CODES[e.code]
        : undefined;
  if (meaning === undefined) return kit.toSinkError(sink, err);
  const text = String(e.sqlMessage ?? e.message ?? '');
  const what = `MySQL ${String(e.code)}${typeof e.errno === 'number' ? ` (${e.errno})` : ''}: ${kit.snippet(text, 200)}`;
  const message = meaning.hint ? `${what}: ${meaning.hint}` : what;
  return meaning.retryable
    ? kit.retryableError(sink, message, { cause: err })
    : kit.permanentError(sink, message, { cause: err });
}
