import * as kit from '@keventer/core/kit';

/**
 * Feishu's codes: 11232 is the bot's own rate limit (100 a minute, 5 a second),
 * 99991400 the Open Platform gateway's; the rest say what to fix.
 */
const CODES: kit.CodeTable = {
  11232: { retryable: true },
  99991400: { retryable: true },
  9499: { hint: 'the request was malformed or over 20 KB' },
  19001: { hint: 'the hook token in the endpoint URL is wrong, or the bot was removed' },
  19002: { hint: 'the message type or a parameter is invalid' },
  19021: {
    hint: "the signature was rejected: check the 'sign' secret, and that this host's clock is right (the timestamp must be within an hour)",
  },
  19022: { hint: "this host's IP address is not in the bot's IP allow-list" },
  19024: { hint: "the message contains none of the bot's keywords: add one as a 'label'" },
};

/**
 * The SinkError of a Feishu answer, or undefined. The answer is `{"code":0}`
 * (older deployments `{"StatusCode":0}`); a non-zero code is a failure whatever
 * the HTTP status (200 for most, 400 for 9499).
 */
export function answerError(sink: string, answer: kit.HttpAnswer): kit.SinkError | undefined {
  const { status: statusCode, headers, text } = answer;
  const fields = { code: ['code', 'StatusCode'], message: ['msg', 'StatusMessage'] };
  const { code, message } = kit.readCodeAnswer(answer, fields);
  const httpError = () => kit.classifyHttpResponse(sink, statusCode, headers, text);
  if (code === undefined) {
    const what = `unexpected answer without a code: ${kit.snippet(text, 200)}`;
    return httpError() ?? kit.permanentError(sink, what, { statusCode });
  }
  if (code === 0) return httpError();
  const what = `Feishu answered code ${code}${message ? ` (${kit.snippet(message, 200)})` : ''}`;
  // Some Feishu services answer 9499 ("Bad Request") for "too many request".
  if (CODES[code]?.retryable || (code === 9499 && /too many|frequen|rate limit/i.test(message))) {
    // Retry-After, else the gateway's reset in seconds; the bot's own 11232 says nothing.
    const retryAfterMs =
      kit.parseRetryAfter(headers.get('retry-after')) ??
      kit.parseRetryAfter(headers.get('x-ogw-ratelimit-reset'));
    return kit.retryableError(sink, `rate limited: ${what}`, { statusCode, retryAfterMs });
  }
  if (statusCode >= 500) return kit.retryableError(sink, `server error: ${what}`, { statusCode });
  const hint = CODES[code]?.hint;
  return kit.permanentError(sink, hint ? `${what}: ${hint}` : what, { statusCode });
}
