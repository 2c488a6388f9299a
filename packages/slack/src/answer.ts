import * as kit from '@keventer/core/kit';

/** What Slack's error bodies mean and what fixes them. */
const ERRORS: kit.CodeTable = {
  invalid_payload: { hint: 'the body is not a valid message' },
  no_text: { hint: 'the message had neither text nor blocks' },
  invalid_blocks: { hint: 'the blocks were refused (too many, too long or malformed)' },
  too_many_attachments: { hint: 'the message has more than 100 attachments' },
  user_not_found: { hint: 'the user in the webhook URL no longer exists' },
  invalid_token: { hint: "the webhook URL's secret is wrong or was revoked" },
  no_service: { hint: 'the webhook was removed or disabled, or its URL is wrong' },
  no_service_id: { hint: 'the webhook URL is incomplete' },
  no_team: { hint: "the webhook URL's workspace does not exist" },
  team_disabled: { hint: 'the workspace is disabled' },
  channel_not_found: { hint: "the webhook's channel no longer exists" },
  channel_is_archived: { hint: "the webhook's channel is archived" },
  action_prohibited: { hint: 'an admin has restricted posting to the channel' },
  posting_to_general_channel_denied: { hint: 'only admins may post to this channel' },
};

/**
 * Judges a Slack incoming webhook answer: undefined only for Slack's own
 * success, HTTP 200 with the body `ok` (`{"ok":true}` from a workflow
 * webhook). Errors come as a short text body with 400/403/404/410
 * (permanent), or 429 with Retry-After and 5xx (retryable).
 */
export function answerError(sink: string, answer: kit.HttpAnswer): kit.SinkError | undefined {
  const { status: statusCode, text } = answer;
  const ok = text.trim() === 'ok' || kit.parseJsonAnswer(answer)?.ok === true;
  if (statusCode === 200 && ok) return undefined;
  const body = text.slice(0, 800).replace(/\s+/g, ' ').trim().slice(0, 200);
  const what = `Slack answered HTTP ${statusCode}${body ? ` ${body}` : ''}`;
  if (statusCode >= 200 && statusCode < 300) {
    // Something else answered (a proxy, another service): the message may not be posted.
    const fix =
      "not Slack's 'ok': check that the endpoint is the incoming webhook URL Slack gave you";
    return kit.permanentError(sink, `${what}, ${fix}`, { statusCode });
  }
  if (kit.isRetryableStatus(statusCode)) {
    const retryAfterMs = kit.parseRetryAfter(answer.headers.get('retry-after'));
    const after = retryAfterMs === undefined ? '' : ` (retry after ${retryAfterMs} ms)`;
    return kit.retryableError(sink, `${what}${after}`, { statusCode, retryAfterMs });
  }
  const hint = ERRORS[body]?.hint;
  return kit.permanentError(sink, hint ? `${what}: ${hint}` : what, { statusCode });
}
