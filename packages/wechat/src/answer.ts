import * as kit from '@keventer/core/kit';
import { SINK_NAME } from './options.js';

/** message/send's answers for a token that expired (42001) or is not valid (40014). */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40014, 42001]);

/** Busy and rate limits pass later (WeCom counts per minute); the hints say what to fix. */
const ERRCODES: kit.CodeTable = {
  [-1]: { retryable: true }, // system busy
  45009: { retryable: true, retryAfterMs: 60_000 }, // api freq out of limit
  45011: { retryable: true, retryAfterMs: 60_000 }, // API called too often
  45033: { retryable: true, retryAfterMs: 1_000 }, // api concurrent out of limit
  40001: { hint: 'the corp_secret is wrong' },
  40013: { hint: 'the corp_id is wrong' },
  40056: { hint: "the agent_id is not this application's" },
  40058: { hint: 'a parameter was refused' },
  48002: { hint: 'the application may not call this API' },
  60020: { hint: "this host's IP is not among the application's trusted IPs" },
  81013: { hint: 'no user in to_user exists or is visible to the application' },
  93000: { hint: 'the robot webhook URL or key is wrong, or the robot was removed' },
};

/** A WeCom answer: HTTP 200 with `errcode` (0 for success) and `errmsg`. */
export type WeComAnswer = kit.CodeAnswer & { readonly code: number };

/** Calls a WeCom API (sendJson's rules, also for a GET); throws on HTTP errors and non-WeCom bodies. */
export async function callWeCom(
  api: string,
  url: URL,
  body: unknown,
  options: kit.SendJsonOptions,
) {
  const answer = await kit.sendJson(SINK_NAME, url, body, options);
  const { status: statusCode, headers, text } = answer;
  const httpError = kit.classifyHttpResponse(SINK_NAME, statusCode, headers, text);
  if (httpError) throw httpError;
  const read = kit.readCodeAnswer(answer, { code: ['errcode'], message: ['errmsg'] });
  if (read.code !== undefined) return read as WeComAnswer;
  const what = `${api}: not a WeCom answer: ${kit.snippet(text, 300)}`;
  throw kit.permanentError(SINK_NAME, what, { statusCode });
}

/** Throws the SinkError of a non-zero errcode: retryable for busy and rate limits. */
export function checkErrcode(api: string, { code, message }: WeComAnswer): void {
  if (code === 0) return;
  const hint = ERRCODES[code]?.hint;
  const what = `${api}: WeCom errcode ${code}${hint ? ` (${hint})` : ''}: ${kit.snippet(message, 300)}`;
  throw kit.codeError(SINK_NAME, ERRCODES[code], what);
}
