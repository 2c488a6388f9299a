import { isSinkError, type ParsedSinkUri, SinkConfigError, SinkError } from '@keventer/core';

// `/open-apis/bot/v2/hook/<token>` (and v1's `/bot/hook/<token>`): core redacts
// secrets in query strings and userinfo, not in paths, so the token is ours to hide.
const HOOK_TOKEN = /(\/hook\/)[^\s/?#'"]+/g;

export function redactHookPath(text: string): string {
  return text.replace(HOOK_TOKEN, '$1***');
}

/**
 * Hides the endpoint's path in error messages: the hook token wherever a
 * URL shows up, and the whole path of an endpoint without `/hook/` (a proxy).
 */
export function pathScrubber(endpoint: string): (text: string) => string {
  const { pathname } = new URL(endpoint);
  const hidden = pathname.length > 1 && !pathname.includes('/hook/') ? pathname : undefined;
  return (text) => {
    const clean = redactHookPath(text);
    return hidden ? clean.split(hidden).join('/***') : clean;
  };
}

/** The same SinkError with `scrub` applied to its message (and without a cause that might hold the URL). */
export function scrubError(error: unknown, scrub: (text: string) => string): unknown {
  if (!isSinkError(error)) return error;
  const message = scrub(error.message);
  if (message === error.message) return error;
  return new SinkError(error.sink, message, error.retryable, {
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    ...(error.statusCode === undefined ? {} : { statusCode: error.statusCode }),
  });
}

/**
 * A SinkConfigError that names the URI with the hook token hidden. defineSink
 * adds the URI to errors that have none, redacted by core, which cannot see
 * a token in a path; one that already names its URI is passed on as it is.
 */
export function configError(
  sink: string,
  problems: readonly string[],
  uri: ParsedSinkUri | undefined,
  cause?: unknown,
): SinkConfigError {
  return new SinkConfigError(sink, problems, {
    ...(uri ? { uri: redactHookPath(uri.toString()) } : {}),
    ...(cause === undefined ? {} : { cause }),
  });
}
