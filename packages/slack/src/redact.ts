import { isSinkError, type ParsedSinkUri, SinkConfigError, SinkError } from '@keventer/core';

// `/services/T…/B…/secret` (and workflow webhooks' `/triggers/…`): core redacts
// secrets in query strings and userinfo, not in paths, so the path is ours to hide.
const WEBHOOK_PATH = /(\/(?:services|triggers|workflows)\/)[^\s?#'"]+/g;

export function redactWebhookPath(text: string): string {
  return text.replace(WEBHOOK_PATH, '$1***');
}

/**
 * Hides the endpoint's path in error messages: Slack's webhook paths
 * wherever a URL shows up, and the whole path of any other endpoint (a proxy).
 */
export function pathScrubber(endpoint: string): (text: string) => string {
  const { pathname } = new URL(endpoint);
  const hidden = pathname.length > 1 ? pathname : undefined;
  return (text) => {
    const clean = redactWebhookPath(text);
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
 * A SinkConfigError that names the URI with the webhook path hidden.
 * defineSink adds the URI to errors that have none, redacted by core, which
 * cannot see a secret in a path; one that names its URI is passed on as it is.
 */
export function configError(
  sink: string,
  problems: readonly string[],
  uri: ParsedSinkUri | undefined,
  cause?: unknown,
): SinkConfigError {
  return new SinkConfigError(sink, problems, {
    ...(uri ? { uri: redactWebhookPath(uri.toString()) } : {}),
    ...(cause === undefined ? {} : { cause }),
  });
}
