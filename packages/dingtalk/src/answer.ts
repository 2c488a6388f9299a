import * as kit from '@keventer/core/kit';
import type { Layout } from './render.js';

/** DingTalk blocks a robot over 20 messages a minute for about 10 minutes: try each minute. */
export const RATE_LIMIT_RETRY_AFTER_MS = 60_000;

const UNKNOWN_TOKEN =
  "DingTalk knows no robot with this access_token: give the value after 'access_token=' in the robot's webhook URL";
const ERRCODES: kit.CodeTable = {
  130101: {
    retryable: true,
    retryAfterMs: RATE_LIMIT_RETRY_AFTER_MS,
    hint: 'DingTalk is rate limiting this robot: more than 20 messages in a minute block it for about 10 minutes',
  },
  [-1]: { retryable: true, hint: 'DingTalk is busy' },
  300001: { hint: UNKNOWN_TOKEN },
  300005: { hint: UNKNOWN_TOKEN },
  400013: { hint: "the robot's group has been dissolved" },
};

/** The SinkError of a DingTalk answer (HTTP 200 and a non-zero `errcode`), or undefined. */
export function answerError(answer: kit.HttpAnswer, context: Layout) {
  return kit.judgeCodeAnswer('dingtalk', answer, {
    fields: { code: ['errcode'], message: ['errmsg'] },
    // A proxy's or gateway's page: the message most likely never reached DingTalk.
    noCode: ({ status, text }) => {
      const page = kit.snippet(text, 200) || 'empty body';
      const what = `HTTP ${status} without DingTalk's {"errcode":...} answer (a proxy or gateway page?)`;
      return kit.retryableError('dingtalk', `${what}: ${page}`, { statusCode: status });
    },
    refused: (code, errmsg) => {
      const what = code === 310000 ? securityRejection(errmsg, context) : ERRCODES[code]?.hint;
      const said = `${what ?? 'DingTalk refused the message'} (errcode ${code}: ${errmsg || 'no errmsg'})`;
      return kit.codeError('dingtalk', ERRCODES[code], said);
    },
  });
}

// Errcode 310000 is any of the robot's security settings; the errmsg (English or Chinese) says which.
function securityRejection(errmsg: string, { sign, labels }: Layout): string {
  if (/keyword|关键词/i.test(errmsg)) {
    const quoted = labels.map((label) => `'${label}'`).join(', ');
    const now = quoted ? `the labels (${quoted}) hold none of them` : 'no `label` is set';
    return `DingTalk refused the message: it holds none of the robot's security keywords and ${now}. Put a keyword in \`label\` (every message starts with the labels)`;
  }
  if (/sign not match|签名不匹配/i.test(errmsg)) {
    return sign !== undefined
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
