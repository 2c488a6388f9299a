import {
  classifyHttpResponse,
  type HttpAnswer,
  parseJsonAnswer,
  permanentError,
  retryableError,
  type SinkError,
} from '@keventer/core';
import { SINK_NAME } from './options.js';

/** A WeCom answer: HTTP 200 with `errcode` (0 for success) and `errmsg`. */
export interface WeComAnswer extends Record<string, unknown> {
  readonly errcode: number;
  readonly errmsg?: unknown;
}

/** message/send's answers for a token that expired (42001) or is not valid (40014). */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40014, 42001]);

// Codes a later attempt can get past, with how long WeCom wants us to wait.
const RETRYABLE = new Map<number, number | undefined>([
  [-1, undefined], // system busy
  [45009, 60_000], // api freq out of limit: WeCom counts per minute
  [45011, 60_000], // API called too often
  [45033, 1_000], // api concurrent out of limit
]);

// What the user can do about the common permanent codes.
const HINTS = new Map<number, string>([
  [40001, 'the corp_secret is wrong'],
  [40013, 'the corp_id is wrong'],
  [40056, "the agent_id is not this application's"],
  [40058, 'a parameter was refused'],
  [48002, 'the application may not call this API'],
  [60020, "this host's IP is not among the application's trusted IPs"],
  [81013, 'no user in to_user exists or is visible to the application'],
  [93000, 'the robot webhook URL or key is wrong, or the robot was removed'],
]);

const SNIPPET_MAX = 300;

/** The answer's JSON, or the SinkError an HTTP failure or a non-WeCom body means. */
export function readAnswer(api: string, answer: HttpAnswer): WeComAnswer {
  const httpError = classifyHttpResponse(SINK_NAME, answer.status, answer.headers, answer.text);
  if (httpError) throw httpError;
  const json = parseJsonAnswer(answer);
  if (json === undefined || typeof json.errcode !== 'number') {
    throw permanentError(SINK_NAME, `${api}: not a WeCom answer: ${snippet(answer.text)}`, {
      statusCode: answer.status,
    });
  }
  return json as WeComAnswer;
}

/** Throws the SinkError a non-zero errcode means: retryable for busy and rate limits. */
export function checkErrcode(api: string, answer: WeComAnswer): void {
  if (answer.errcode !== 0) throw errcodeError(api, answer);
}

export function errcodeError(api: string, answer: WeComAnswer): SinkError {
  const { errcode } = answer;
  const hint = HINTS.get(errcode);
  const text = `${api}: WeCom errcode ${errcode}${hint ? ` (${hint})` : ''}: ${snippet(String(answer.errmsg ?? ''))}`;
  if (!RETRYABLE.has(errcode)) return permanentError(SINK_NAME, text);
  const retryAfterMs = RETRYABLE.get(errcode);
  return retryableError(SINK_NAME, text, retryAfterMs === undefined ? {} : { retryAfterMs });
}

function snippet(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > SNIPPET_MAX ? `${line.slice(0, SNIPPET_MAX)}…` : line;
}
