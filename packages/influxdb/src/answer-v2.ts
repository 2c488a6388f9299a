import * as kit from '@keventer/core/kit';

/**
 * InfluxDB 2.x's `{"code": "...", "message": "..."}`, 3.x's `{"error": "...",
 * "data": [{line_number, error_message}...]}` (its first refused line quoted),
 * or a snippet of a body that is neither (a proxy).
 */
export function errorTextV2(answer: kit.HttpAnswer): string {
  const json = kit.parseJsonAnswer(answer);
  const text = json?.message ?? json?.error;
  if (typeof text !== 'string') return kit.snippet(answer.text, 300);
  const code = typeof json?.code === 'string' ? `${json.code}: ` : '';
  const first = Array.isArray(json?.data) ? (json.data[0] as Record<string, unknown>) : undefined;
  const line =
    typeof first?.error_message === 'string'
      ? ` (line ${String(first.line_number)}: ${kit.snippet(first.error_message, 200)})`
      : '';
  return `${code}${text}${line}`;
}

/** What fixes each permanent error; the first match wins. */
const HINTS: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /field type conflict/,
    'a field of this measurement already has another type: write to another bucket (or layout); the other points of the batch were written',
  ],
  [
    /outside retention policy|beyond retention policy/,
    "the events are older than the bucket's retention; the other points of the batch were written",
  ],
  [
    /partial write of line protocol/,
    'the server refused these lines and wrote the others: please report it as a bug of @keventer/influxdb',
  ],
  [/^unauthorized|status 401/, "check 'token'"],
  [/^forbidden|insufficient permissions/, 'give the token write permission on the bucket'],
  [/organization .*not found|provide either orgID or org/i, "check 'org'"],
  [/bucket .*not found|database .*not found/i, "create the bucket, or set 'bucket'"],
  [/too large/i, 'lower batch.maxBytes or batch.maxEvents'],
  [/unable to parse|invalid precision/, 'please report it as a bug of @keventer/influxdb'],
];

/**
 * Judges an /api/v2/write answer: undefined for a 2xx, retryable for 429 and
 * 5xx (with Retry-After), permanent otherwise with what to fix. A 422 (2.x's
 * partial write: some points dropped, the others written) names no point, so
 * the batch is failed as a whole: it is permanent, and a replay rewrites the
 * written points onto themselves.
 */
export function answerErrorV2(sink: string, answer: kit.HttpAnswer): kit.SinkError | undefined {
  const { status: statusCode } = answer;
  if (statusCode >= 200 && statusCode < 300) return undefined;
  const text = errorTextV2(answer);
  const what = `InfluxDB answered HTTP ${statusCode}${text ? `: ${text}` : ''}`;
  if (kit.isRetryableStatus(statusCode)) {
    const retryAfterMs = kit.parseRetryAfter(answer.headers.get('retry-after'));
    return kit.retryableError(sink, what, { statusCode, retryAfterMs });
  }
  const hint = HINTS.find(([pattern]) => pattern.test(text || `status ${statusCode}`))?.[1];
  return kit.permanentError(sink, hint ? `${what} (${hint})` : what, { statusCode });
}
