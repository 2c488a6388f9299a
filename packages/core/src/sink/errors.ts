import { redactText } from './redact.js';

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
    super(sinkMessage(sink, redactText(message)), { cause: options.cause });
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

  /** `uri` must already be redacted (ParsedSinkUri.toString() is). */
  constructor(
    sink: string,
    problems: readonly string[],
    options: { uri?: string; cause?: unknown } = {},
  ) {
    const clean = problems.map(redactText);
    const where = options.uri ? ` in '${options.uri}'` : '';
    const text =
      clean.length === 1
        ? `${clean[0]}${where}`
        : `${clean.length} problems${where}:\n${clean.map((p) => `  - ${p}`).join('\n')}`;
    super(sinkMessage(sink, text), { cause: options.cause });
    this.sink = sink;
    this.problems = clean;
    if (options.uri !== undefined) this.uri = options.uri;
  }
}
