import {
  classifyHttpResponse,
  type HttpAnswer,
  parseJsonAnswer,
  permanentError,
  retryableError,
  type SinkError,
} from '@keventer/core';

const SINK = 'dingtalk';

/**
 * After more than 20 messages in a minute DingTalk blocks the robot for about
 * 10 minutes (errcode 130101). Trying again each minute resumes within a
 * minute of the block ending, at the cost of a few refused requests.
 */
export const RATE_LIMIT_RETRY_AFTER_MS = 60_000;

/** What the sink knows when judging an answer. */
export interface AnswerContext {
  readonly signed: boolean;
  readonly labels: readonly string[];
}

/**
 * The SinkError for a DingTalk answer, or undefined when the message was
 * delivered. DingTalk answers errors with HTTP 200 and a non-zero `errcode`.
 */
export function answerError(answer: HttpAnswer, context: AnswerContext): SinkError | undefined {
  const httpError = classifyHttpResponse(SINK, answer.status, answer.headers, answer.text);
  if (httpError) return httpError;
  const json = parseJsonAnswer(answer);
  const errcode = json?.errcode;
  if (typeof errcode !== 'number') {
    // DingTalk always answers JSON with an errcode; anything else came from a
    // proxy or gateway in between (a login or error page), and says nothing
    // about the message: most likely it never reached DingTalk, so try again.
    return retryableError(
      SINK,
      `HTTP ${answer.status} without DingTalk's {"errcode":...} answer (a proxy or gateway page?): ${snippet(answer.text)}`,
      { statusCode: answer.status },
    );
  }
  if (errcode === 0) return undefined;
  const errmsg = typeof json?.errmsg === 'string' ? json.errmsg : '';
  return errcodeError(errcode, errmsg, context);
}

function errcodeError(errcode: number, errmsg: string, context: AnswerContext): SinkError {
  const said = `(errcode ${errcode}: ${errmsg || 'no errmsg'})`;
  switch (errcode) {
    case 130101:
      return retryableError(
        SINK,
        `DingTalk is rate limiting this robot: more than 20 messages in a minute block it for about 10 minutes ${said}`,
        { retryAfterMs: RATE_LIMIT_RETRY_AFTER_MS },
      );
    case -1:
      return retryableError(SINK, `DingTalk is busy ${said}`);
    case 310000:
      return permanentError(SINK, `${securityRejection(errmsg, context)} ${said}`);
    case 300001:
    case 300005:
      return permanentError(
        SINK,
        `DingTalk knows no robot with this access_token: give the value after 'access_token=' in the robot's webhook URL ${said}`,
      );
    case 400013:
      return permanentError(SINK, `the robot's group has been dissolved ${said}`);
    default:
      return permanentError(SINK, `DingTalk refused the message ${said}`);
  }
}

/**
 * Errcode 310000 covers the robot's three security settings; the errmsg says
 * which one failed, in English (older) or Chinese (current) wording.
 */
function securityRejection(errmsg: string, { signed, labels }: AnswerContext): string {
  if (/keyword|关键词/i.test(errmsg)) {
    const now =
      labels.length === 0
        ? 'no `label` is set'
        : `the labels (${labels.map((l) => `'${l}'`).join(', ')}) hold none of them`;
    return `DingTalk refused the message: it holds none of the robot's security keywords and ${now}. Put a keyword in \`label\` (every message starts with the labels)`;
  }
  if (/sign not match|签名不匹配/i.test(errmsg)) {
    return signed
      ? "DingTalk refused the signature: check that `sign` is this robot's signing secret (SEC...)"
      : "the robot requires signed requests: set `sign` to the robot's signing secret (SEC...)";
  }
  if (/timestamp|签名过期/i.test(errmsg)) {
    return "DingTalk refused the signing timestamp as more than an hour off its clock: check this machine's clock";
  }
  if (/whitelist|白名单|\bip\b/i.test(errmsg)) {
    return "DingTalk refused requests from this machine's IP address: add its egress IP to the robot's IP allow-list";
  }
  return "DingTalk's robot security refused the message (keyword, signature or IP allow-list): put the keyword in `label`, check `sign` and the robot's IP list";
}

function snippet(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line === '') return 'empty body';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
