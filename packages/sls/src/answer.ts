import * as kit from '@keventer/core/kit';
import type { SlsAnswer } from './http-post.js';

/** SLS's error codes ({errorCode, errorMessage}) that mean something to fix, or that pass later. */
const CODES: kit.CodeTable = {
  // Throttled: the logstore's or one shard's write quota; passes when the load drops.
  WriteQuotaExceed: {
    retryable: true,
    hint: "the project's write quota is used up: this is retried; raise the quota if it lasts",
  },
  ShardWriteQuotaExceed: {
    retryable: true,
    hint: "a shard's write quota is used up: this is retried; split the logstore's shards if it lasts",
  },
  ProjectQuotaExceed: { retryable: true, hint: "the project's quota is used up: this is retried" },
  InternalServerError: { retryable: true },
  ServerBusy: { retryable: true },
  RequestTimeout: { retryable: true },
  // Only a fixed clock helps: trying again with the same clock is refused again.
  RequestTimeExpired: {
    hint: "this machine's clock is more than 15 minutes off SLS's: fix NTP",
  },
  SignatureNotMatch: { hint: 'check accessKeyId/accessKeySecret (the secret is wrong)' },
  Unauthorized: {
    hint: 'check accessKeyId, the RAM policy (log:PostLogStoreLogs on the logstore) and, with STS, that securityToken is current',
  },
  InvalidAccessKeyId: { hint: 'check accessKeyId, and that SLS is activated for the account' },
  ProjectNotExist: { hint: 'check project and the region (regionId or endpoint)' },
  LogStoreNotExist: { hint: 'check logStore: create it in the project, or fix its name' },
  ProjectForbidden: { hint: 'the project is disabled (an overdue account?)' },
  PostBodyTooLarge: { hint: 'lower batch.maxEvents or batch.maxBytes' },
};

/** The SinkError of a PutLogs answer, or undefined when it was written (HTTP 200). */
export function answerError(
  sink: string,
  answer: SlsAnswer,
  hidden: readonly string[] = [],
): kit.SinkError | undefined {
  const { status: statusCode } = answer;
  const shown = (text: string, max: number) =>
    kit.snippet(
      hidden.reduce((t, secret) => (secret ? t.replaceAll(secret, '***') : t), text),
      max,
    );
  if (statusCode === 200) {
    if (answer.requestId) return undefined;
    // SLS sends its request id with every answer: a bare 200 is a proxy or a captive portal
    // that kept the logs; calling it delivered would lose them.
    return kit.permanentError(
      sink,
      `the endpoint answered HTTP 200 without x-log-requestid: it is not SLS, and the logs were not written (check the endpoint: SLS_ENDPOINT, regionId)`,
      { statusCode },
    );
  }
  if (statusCode >= 300 && statusCode < 400) {
    // SLS never redirects: something else answers at this endpoint; the logs are not sent on.
    const where = answer.location ? ` to ${kit.snippet(answer.location, 200)}` : '';
    return kit.permanentError(
      sink,
      `the endpoint answered a redirect (HTTP ${statusCode})${where}, not followed: check the endpoint (SLS_ENDPOINT, regionId)`,
      { statusCode },
    );
  }
  const retryAfterMs = kit.parseRetryAfter(answer.retryAfter ?? null);
  const body = readError(answer.text);
  const message = body ? shown(body.errorMessage, 300) : '';
  const request = answer.requestId ? ` (request ${answer.requestId})` : '';
  if (!body) {
    // Not SLS's JSON: a proxy, a load balancer, or not SLS at all.
    const what = `the endpoint answered HTTP ${statusCode} without an SLS error${request}: ${shown(answer.text, 200) || 'empty'}`;
    if (kit.isRetryableStatus(statusCode))
      return kit.retryableError(sink, what, { statusCode, retryAfterMs });
    return kit.permanentError(sink, `${what} (check the endpoint)`, { statusCode });
  }
  const meaning = CODES[body.errorCode];
  const what = `SLS refused the logs (HTTP ${statusCode} ${body.errorCode}: ${message})${request}`;
  const full = meaning?.hint ? `${what}: ${meaning.hint}` : what;
  // A code we do not know: its status says (429, 5xx retried; other 4xx are the request's fault).
  const retryable = meaning ? meaning.retryable === true : kit.isRetryableStatus(statusCode);
  return kit.codeError(sink, { retryable }, full, { statusCode, retryAfterMs });
}

function readError(text: string): { errorCode: string; errorMessage: string } | undefined {
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    if (typeof json.errorCode !== 'string') return undefined;
    const message = typeof json.errorMessage === 'string' ? json.errorMessage : '';
    return { errorCode: json.errorCode, errorMessage: message };
  } catch {
    return undefined;
  }
}
