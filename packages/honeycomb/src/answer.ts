import * as kit from '@keventer/core/kit';

/** One element of Honeycomb's batch answer: `{"status":202}` or `{"status":400,"error":"..."}`. */
export interface EventStatus {
  readonly status: number;
  readonly error?: string;
}

/**
 * The per-event statuses of a batch answer, in request order; on a cut
 * answer the complete ones before the cut. Undefined when the answer is no
 * such array (a proxy's page, another service).
 */
export function readStatuses(text: string, truncated: boolean): EventStatus[] | undefined {
  if (!truncated) {
    try {
      const value: unknown = JSON.parse(text);
      return Array.isArray(value) && value.every(isStatus) ? value : undefined;
    } catch {
      return undefined;
    }
  }
  if (!/^\s*\[/.test(text)) return undefined;
  const statuses: EventStatus[] = [];
  for (const item of completeObjects(text)) {
    const value: unknown = JSON.parse(item);
    if (!isStatus(value)) return undefined;
    statuses.push(value);
  }
  return statuses;
}

const isStatus = (value: unknown): value is EventStatus =>
  typeof (value as EventStatus | null)?.status === 'number';

/** The top-level objects of a cut JSON array, up to the last one that closed. */
function* completeObjects(text: string): Generator<string> {
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = text.indexOf('[') + 1; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' && depth++ === 0) start = i;
    else if (c === '}' && --depth === 0) yield text.slice(start, i + 1);
  }
}

/** What fixes a refused event, by Honeycomb's error text. */
const EVENT_HINTS: ReadonlyArray<[RegExp, string]> = [
  [/too many columns/i, 'the dataset reached its column limit: delete unused columns in Honeycomb'],
  [/malformed/i, 'the event is not valid JSON for Honeycomb: report it as a keventer bug'],
];

/** One refused event's error: retryable for 429/5xx (throttled, overloaded), permanent otherwise. */
export function eventError(sink: string, { status, error }: EventStatus): kit.SinkError {
  const what = `Honeycomb refused the event (status ${status})${error ? `: ${error}` : ''}`;
  if (kit.isRetryableStatus(status)) return kit.retryableError(sink, what, { statusCode: status });
  const hint = EVENT_HINTS.find(([pattern]) => pattern.test(error ?? ''))?.[1];
  return kit.permanentError(sink, hint ? `${what} (${hint})` : what, { statusCode: status });
}

/** What fixes a refused request, by status. */
const REQUEST_HINTS: Readonly<Record<number, string>> = {
  400: 'Honeycomb could not read the request: report it as a keventer bug',
  401: 'check writekey (or $HONEYCOMB_WRITEKEY): an Ingest key, or a Configuration key with Send Events, of the team and region of apihost',
  403: 'Honeycomb throttles this team administratively: see its usage page or ask Honeycomb support',
  404: 'check apihost: it must be the API root (https://api.honeycomb.io/ or https://api.eu1.honeycomb.io/), or the proxy path in front of it',
  413: 'the request is over Honeycomb’s size limit: lower batch.maxEvents or batch.maxBytes',
};

/** The error of a batch request Honeycomb refused as a whole (non-2xx). */
export function requestError(sink: string, answer: kit.HttpAnswer): kit.SinkError {
  const { status: statusCode } = answer;
  const body = kit.parseJsonAnswer(answer);
  const reason = typeof body?.error === 'string' ? body.error : kit.snippet(answer.text, 300);
  const what = `Honeycomb answered HTTP ${statusCode}${reason ? `: ${reason}` : ''}`;
  if (kit.isRetryableStatus(statusCode)) {
    const retryAfterMs = kit.parseRetryAfter(answer.headers.get('retry-after'));
    return kit.retryableError(sink, what, { statusCode, retryAfterMs });
  }
  const hint = REQUEST_HINTS[statusCode];
  return kit.permanentError(sink, hint ? `${what} (${hint})` : what, { statusCode });
}
