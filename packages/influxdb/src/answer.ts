import * as kit from '@keventer/core/kit';

/** What the server said is missing, when auto_create can make it. */
export type Missing = 'database' | 'retention policy';

/** InfluxDB's `{"error": "..."}`, or a snippet of a body that is not its JSON (a proxy). */
export function errorText(answer: kit.HttpAnswer): string {
  const error = kit.parseJsonAnswer(answer)?.error;
  return typeof error === 'string' ? error : kit.snippet(answer.text, 300);
}

export function missingIn(answer: kit.HttpAnswer): Missing | undefined {
  const text = errorText(answer);
  if (/^database not found/.test(text)) return 'database';
  if (/^retention policy not found/.test(text)) return 'retention policy';
  return undefined;
}

// Errors whose status says otherwise: they are about load, not the request.
const OVERLOADED = /too many requests|cache-max-memory-size|hinted handoff queue not empty/i;

/** What fixes each permanent error; the first match wins. */
const HINTS: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /field type conflict/,
    'a field of this measurement already has another type: write to another db (or layout), or drop the measurement',
  ],
  [/authorization failed|unable to parse authentication/, 'check user and pw'],
  [/not authorized|forbidden/i, 'grant the user WRITE on the database'],
  [/database not found/, 'create the database, or set auto_create=true'],
  [/retention policy not found/, 'create the retention policy, or set auto_create=true'],
  [/beyond retention policy/, "the events are older than the retention policy's duration"],
  [/unable to parse/, 'a point was malformed: please report it as a bug of @keventer/influxdb'],
  [/too large/i, 'lower batch.maxBytes or batch.maxEvents'],
];

/**
 * Judges a /write or /query answer: undefined for a 2xx without an error,
 * retryable for 429, 5xx (but a missing retention policy, InfluxDB's 500) and
 * 'too many requests', permanent otherwise with what to fix.
 */
export function answerError(sink: string, answer: kit.HttpAnswer): kit.SinkError | undefined {
  const { status: statusCode } = answer;
  const text = errorText(answer);
  const ok = statusCode >= 200 && statusCode < 300;
  if (ok && kit.parseJsonAnswer(answer)?.error === undefined) return undefined;
  const what = `InfluxDB answered HTTP ${statusCode}${text ? `: ${text}` : ''}`;
  const missing = missingIn(answer) !== undefined;
  if (!missing && (kit.isRetryableStatus(statusCode) || OVERLOADED.test(text))) {
    const retryAfterMs = kit.parseRetryAfter(answer.headers.get('retry-after'));
    return kit.retryableError(sink, what, { statusCode, retryAfterMs });
  }
  const hint = HINTS.find(([pattern]) => pattern.test(text))?.[1];
  return kit.permanentError(sink, hint ? `${what} (${hint})` : what, { statusCode });
}
