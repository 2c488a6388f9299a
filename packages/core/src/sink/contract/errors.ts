import { cleanText } from './clean-text.js';

/** Longest SinkError message; an upstream text in it is a snippet (200 characters). */
const MAX_MESSAGE_CHARS = 1024;
/** Bounds of a SinkConfigError: each problem, how many are listed, the URI shown. */
const MAX_PROBLEM_CHARS = 400;
const MAX_PROBLEMS_SHOWN = 20;
const MAX_URI_CHARS = 400;

/** `[keventer] [<sink>] <msg>`, the prefix of every sink message (`[keventer]` alone without a sink). */
export function sinkMessage(sink: string, msg: string): string {
  if (msg.startsWith('[keventer]')) return msg;
  return sink ? `[keventer] [${sink}] ${msg}` : `[keventer] ${msg}`;
}

export interface SinkErrorOptions {
  /** How long the server asked us to wait (Retry-After), in milliseconds. */
  retryAfterMs?: number;
  statusCode?: number;
  cause?: unknown;
}

/**
 * Why a write failed. `retryable` is the sink's whole say in retrying: the
 * delivery engine decides when and how often.
 */
export class SinkError extends Error {
  override readonly name = 'SinkError';
  readonly sink: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly statusCode?: number;

  constructor(sink: string, message: string, retryable: boolean, options: SinkErrorOptions = {}) {
    super(sinkMessage(sink, cleanText(message, MAX_MESSAGE_CHARS)), { cause: options.cause });
    this.sink = sink;
    this.retryable = retryable;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.statusCode !== undefined) this.statusCode = options.statusCode;
  }
}

/** A failure that may succeed later: network trouble, 429, 5xx. */
export function retryableError(sink: string, msg: string, options?: SinkErrorOptions): SinkError {
  return new SinkError(sink, msg, true, options);
}

/** A failure that repeating cannot fix: bad request, auth, a rejected payload. */
export function permanentError(sink: string, msg: string, options?: SinkErrorOptions): SinkError {
  return new SinkError(sink, msg, false, options);
}

/**
 * Also true for a SinkError from another copy of @keventer/core (a sink
 * package may bring its own), where `instanceof` fails.
 */
export function isSinkError(err: unknown): err is SinkError {
  if (err instanceof SinkError) return true;
  if (!(err instanceof Error) || err.name !== 'SinkError') return false;
  const e = err as Error & { retryable?: unknown; sink?: unknown };
  return typeof e.retryable === 'boolean' && typeof e.sink === 'string';
}

/**
 * Invalid sink configuration: options, URI, a missing package. Every problem
 * found is listed at once so a user fixes them in one round.
 */
export class SinkConfigError extends Error {
  override readonly name = 'SinkConfigError';
  readonly sink: string;
  readonly problems: readonly string[];
  /** The redacted URI the problems were found in, if any. */
  readonly uri?: string;

  /** `uri` must already be redacted (ParsedSinkUri.toString() is); it is shown cut to 400 characters. */
  constructor(
    sink: string,
    problems: readonly string[],
    options: { uri?: string; cause?: unknown } = {},
  ) {
    const clean = problems.map((p) => cleanText(p, MAX_PROBLEM_CHARS));
    const uri =
      options.uri === undefined
        ? undefined
        : cleanText(options.uri, MAX_URI_CHARS, { generic: false });
    const where = uri ? ` in '${uri}'` : '';
    const shown = clean.slice(0, MAX_PROBLEMS_SHOWN).map((p) => `  - ${p}`);
    if (clean.length > MAX_PROBLEMS_SHOWN)
      shown.push(`  - and ${clean.length - MAX_PROBLEMS_SHOWN} more`);
    const text =
      clean.length === 1
        ? `${clean[0]}${where}`
        : `${clean.length} problems${where}:\n${shown.join('\n')}`;
    super(sinkMessage(sink, text), { cause: options.cause });
    this.sink = sink;
    this.problems = clean;
    if (uri !== undefined) this.uri = uri;
  }
}
