import {
  type HttpAnswer,
  isRetryableStatus,
  parseRetryAfter,
  permanentError,
  retryableError,
  type SinkError,
} from '@keventer/core';

/** What Slack's error bodies mean and what fixes them. */
const HINTS: Readonly<Record<string, string>> = {
  invalid_payload: 'the body is not a valid message',
  no_text: 'the message had neither text nor blocks',
  invalid_blocks: 'the blocks were refused (too many, too long or malformed)',
  too_many_attachments: 'the message has more than 100 attachments',
  user_not_found: 'the user in the webhook URL no longer exists',
  invalid_token: "the webhook URL's secret is wrong or was revoked",
  no_service: 'the webhook was removed or disabled, or its URL is wrong',
  no_service_id: 'the webhook URL is incomplete',
  no_team: "the webhook URL's workspace does not exist",
  team_disabled: 'the workspace is disabled',
  channel_not_found: "the webhook's channel no longer exists",
  channel_is_archived: "the webhook's channel is archived",
  action_prohibited: 'an admin has restricted posting to the channel',
  posting_to_general_channel_denied: 'only admins may post to this channel',
};

/**
 * Judges a Slack incoming webhook answer: `undefined` only for Slack's own
 * success, HTTP 200 with the body `ok` (`{"ok":true}` from a workflow
 * webhook), else the error to throw. Errors come as a short text body with
 * 400/403/404/410 (permanent) or 429 with Retry-After and 5xx (retryable).
 */
export function answerError(sink: string, answer: HttpAnswer): SinkError | undefined {
  const { status } = answer;
  if (status === 200 && isSlackOk(answer.text)) return undefined;
  const body = answer.text.slice(0, 800).replace(/\s+/g, ' ').trim().slice(0, 200);
  const what = `Slack answered HTTP ${status}${body ? ` ${body}` : ''}`;
  if (status >= 200 && status < 300) {
    // Something else answered (a proxy, another service): the message may not be posted.
    return permanentError(
      sink,
      `${what}, not Slack's 'ok': check that the endpoint is the incoming webhook URL Slack gave you`,
      { statusCode: status },
    );
  }
  if (isRetryableStatus(status)) {
    const retryAfterMs = parseRetryAfter(answer.headers.get('retry-after'));
    const after = retryAfterMs === undefined ? '' : ` (retry after ${retryAfterMs} ms)`;
    return retryableError(sink, `${what}${after}`, { statusCode: status, retryAfterMs });
  }
  const hint = HINTS[body];
  return permanentError(sink, hint ? `${what}: ${hint}` : what, { statusCode: status });
}

function isSlackOk(text: string): boolean {
  const body = text.trim();
  if (body === 'ok') return true;
  if (!body.startsWith('{')) return false;
  try {
    return (JSON.parse(body) as { ok?: unknown }).ok === true;
  } catch {
    return false;
  }
}
