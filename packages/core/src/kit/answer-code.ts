import {
  permanentError,
  retryableError,
  type SinkError,
  type SinkErrorOptions,
} from '../sink/contract/errors.js';
import { classifyHttpResponse } from '../sink/contract/http-status.js';
import { type HttpAnswer, parseJsonAnswer } from './http.js';

/** What one of a service's error codes means: can a later attempt pass, after how long, what fixes it. */
export interface CodeMeaning {
  readonly retryable?: boolean;
  readonly retryAfterMs?: number;
  readonly hint?: string;
}

/** A service's error codes (DingTalk's and WeCom's `errcode`, Feishu's `code`, Slack's error bodies) and their meaning. */
export type CodeTable = Readonly<Record<number | string, CodeMeaning>>;

/** A JSON answer's code and message; `code` is undefined when the answer has none. */
export interface CodeAnswer {
  readonly json: Record<string, unknown> | undefined;
  readonly code: number | undefined;
  readonly message: string;
}

/**
 * Reads a chat service's JSON answer: the first number among the `code`
 * fields and the first non-empty string among the `message` fields (older
 * and newer deployments may name them differently).
 */
export function readCodeAnswer(
  answer: HttpAnswer,
  fields: { readonly code: readonly string[]; readonly message: readonly string[] },
): CodeAnswer {
  const json = parseJsonAnswer(answer);
  const values = (keys: readonly string[]) => keys.map((key) => json?.[key]);
  const code = values(fields.code).find((v): v is number => typeof v === 'number');
  const message = values(fields.message).find(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  return { json, code, message: message ?? '' };
}

/** The SinkError of a code whose meaning is `meaning`: retryable (with its wait) or permanent. */
export function codeError(
  sink: string,
  meaning: CodeMeaning | undefined,
  message: string,
  options: SinkErrorOptions = {},
): SinkError {
  if (!meaning?.retryable) return permanentError(sink, message, options);
  const { retryAfterMs } = meaning;
  return retryableError(
    sink,
    message,
    retryAfterMs === undefined ? options : { ...options, retryAfterMs },
  );
}

/** How `judgeCodeAnswer` reads a service's answers. */
export interface CodeAnswerRules {
  /** Where the code and the message are: `{ code: ['errcode'], message: ['errmsg'] }`. */
  readonly fields: { readonly code: readonly string[]; readonly message: readonly string[] };
  /** The error of an answer without a code: another server answered (a proxy's page). */
  readonly noCode: (answer: HttpAnswer) => SinkError;
  /** The error of a non-zero code. */
  readonly refused: (code: number, message: string) => SinkError;
}

/**
 * The SinkError of an answer, or undefined when the message was delivered:
 * an HTTP error by its status, then the service's code (0 is success).
 */
export function judgeCodeAnswer(
  sink: string,
  answer: HttpAnswer,
  rules: CodeAnswerRules,
): SinkError | undefined {
  const httpError = classifyHttpResponse(sink, answer.status, answer.headers, answer.text);
  if (httpError) return httpError;
  const { code, message } = readCodeAnswer(answer, rules.fields);
  if (code === undefined) return rules.noCode(answer);
  return code === 0 ? undefined : rules.refused(code, message);
}
