import {
  classifyHttpResponse,
  type HttpAnswer,
  parseJsonAnswer,
  parseRetryAfter,
  permanentError,
  retryableError,
  type SinkError,
} from '@keventer/core';

/**
 * Codes that mean "too fast": 11232 is the custom bot's own limit ("frequency
 * limited", 100 a minute and 5 a second per bot, also at busy times of day),
 * 99991400 the Open Platform gateway's ("request trigger frequency limit").
 */
const RATE_LIMITED = new Set([11232, 99991400]);

/** Why a rejection happened and what fixes it, for the codes a misconfigured bot gets. */
const PERMANENT_HINTS: Readonly<Record<number, string>> = {
  9499: 'the request was malformed or over 20 KB',
  19001: 'the hook token in the endpoint URL is wrong, or the bot was removed',
  19002: 'the message type or a parameter is invalid',
  19021:
    "the signature was rejected: check the 'sign' secret, and that this host's clock is right (the timestamp must be within an hour)",
  19022: "this host's IP address is not in the bot's IP allow-list",
  19024: "the message contains none of the bot's keywords: add one as a 'label'",
};

/**
 * Judges a Feishu answer: `undefined` when the message was accepted, else the
 * error to throw. The answer is `{"code":0,...}` (older deployments answer
 * `{"StatusCode":0,...}`, newer ones both); a non-zero code is a failure
 * whatever the HTTP status, which is 200 for most and 400 for 9499.
 */
export function answerError(sink: string, answer: HttpAnswer): SinkError | undefined {
  const json = parseJsonAnswer(answer);
  const code = numberField(json, 'code') ?? numberField(json, 'StatusCode');
  if (code === undefined) {
    return (
      classifyHttpResponse(sink, answer.status, answer.headers, answer.text) ??
      permanentError(sink, `unexpected answer without a code: ${snippet(answer.text)}`, {
        statusCode: answer.status,
      })
    );
  }
  if (code === 0) return classifyHttpResponse(sink, answer.status, answer.headers, answer.text);
  const msg = stringField(json, 'msg') ?? stringField(json, 'StatusMessage') ?? '';
  const what = `Feishu answered code ${code}${msg ? ` (${snippet(msg)})` : ''}`;
  const statusCode = answer.status;
  if (isRateLimit(code, msg)) {
    const retryAfterMs = waitOf(answer);
    return retryableError(sink, `rate limited: ${what}`, { statusCode, retryAfterMs });
  }
  if (answer.status >= 500) return retryableError(sink, `server error: ${what}`, { statusCode });
  const hint = PERMANENT_HINTS[code];
  return permanentError(sink, hint ? `${what}: ${hint}` : what, { statusCode });
}

// 9499 is "Bad Request", but some Feishu services answer it for "too many request".
function isRateLimit(code: number, msg: string): boolean {
  return RATE_LIMITED.has(code) || (code === 9499 && /too many|frequen|rate limit/i.test(msg));
}

/** Retry-After, else the gateway's `x-ogw-ratelimit-reset` (seconds); the bot's own 11232 says nothing. */
function waitOf(answer: HttpAnswer): number | undefined {
  const { headers } = answer;
  return (
    parseRetryAfter(headers.get('retry-after')) ??
    parseRetryAfter(headers.get('x-ogw-ratelimit-reset'))
  );
}

function numberField(json: Record<string, unknown> | undefined, key: string): number | undefined {
  const value = json?.[key];
  return typeof value === 'number' ? value : undefined;
}

function stringField(json: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = json?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function snippet(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
