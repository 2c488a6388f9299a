import * as kit from '@keventer/core/kit';

/** How a server error code is handled, and what fixes it. */
interface Meaning {
  readonly retryable: boolean;
  readonly hint: string;
}

const retry = (hint: string): Meaning => ({ retryable: true, hint });
const fix = (hint: string): Meaning => ({ retryable: false, hint });

/** A write error that means the document is already there: a replay, delivered. */
export const DUPLICATE_KEY = 11000;

/**
 * The server's error codes (src/mongo/base/error_codes.yml). Elections,
 * shutdowns, timeouts and throttling pass; credentials, grants, validation
 * and oversized documents need someone to fix them.
 */
const CODES: Readonly<Record<number, Meaning>> = {
  6: retry('the host is unreachable'),
  7: retry('the host was not found'),
  50: retry('the operation exceeded its time limit'),
  89: retry('a network timeout'),
  91: retry('the server is shutting down'),
  112: retry('a write conflict'),
  189: retry('the primary stepped down'),
  262: retry('the operation exceeded its time limit'),
  9001: retry('a socket error'),
  10107: retry('the server is not the writable primary (an election in progress?)'),
  11600: retry('the server is shutting down'),
  11602: retry('interrupted by a replica set state change'),
  13435: retry('the server is not the primary'),
  13436: retry('the server is neither primary nor secondary'),
  16500: retry('too many requests: the server throttles writes'),
  64: retry('the write concern was not satisfied in time'),
  13: fix('the user may not insert into the collection: grant it readWrite on the database'),
  18: fix(
    "authentication failed: check the connection string's user and password (and authSource)",
  ),
  121: fix(
    "a document failed the collection's validator: relax the validator or write to another collection",
  ),
  10334: fix('a document is over 16 MiB (an event with a huge message)'),
  73: fix('the database or collection name is not valid: fix database= or collection='),
  59: fix('the server does not know the command (is it MongoDB?)'),
};

interface ServerError {
  code?: unknown;
  codeName?: unknown;
  errmsg?: unknown;
  message?: unknown;
  name?: unknown;
  errorLabels?: unknown;
}

/** "RetryAfterMs=123" in a throttled answer (Azure Cosmos DB's 16500). */
function retryAfterMs(text: string): number | undefined {
  const m = /RetryAfterMs=(\d+)/i.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** A SinkError for a server error code and message; `unknown` when the code means nothing here. */
export function codeError(
  sink: string,
  code: number,
  text: string,
  options: { cause?: unknown; unknownRetryable: boolean },
): kit.SinkError {
  const meaning = CODES[code];
  const what = `MongoDB error ${code}: ${kit.snippet(text, 200)}`;
  const message = meaning ? `${what}: ${meaning.hint}` : what;
  const retryable = meaning?.retryable ?? options.unknownRetryable;
  if (!retryable) return kit.permanentError(sink, message, { cause: options.cause });
  const after = retryAfterMs(text);
  return kit.retryableError(sink, message, {
    cause: options.cause,
    ...(after === undefined ? {} : { retryAfterMs: after }),
  });
}

/** The error of a whole failed insert: the driver's kind, then the server's code, then the kit's rules. */
export function writeError(sink: string, err: unknown): kit.SinkError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as ServerError;
  const name = typeof e.name === 'string' ? e.name : '';
  const text = String(e.errmsg ?? e.message ?? '');
  if (typeof e.code === 'number') {
    // The driver labels what a retry may fix (a step-down, a lost connection).
    const labelled = Array.isArray(e.errorLabels) && e.errorLabels.includes('RetryableWriteError');
    return codeError(sink, e.code, text, {
      cause: err,
      unknownRetryable: labelled || !(e.code in CODES),
    });
  }
  if (
    /^Mongo(Network|NetworkTimeout|ServerSelection|PoolCleared|TopologyClosed)Error$/.test(name)
  ) {
    return kit.retryableError(sink, `MongoDB unreachable: ${kit.snippet(text, 200)}`, {
      cause: err,
    });
  }
  return kit.toSinkError(sink, err);
}
