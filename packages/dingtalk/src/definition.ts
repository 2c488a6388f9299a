import * as kit from '@keventer/core/kit';
import { answerError } from './answer.js';
import { dingtalkOptions } from './options.js';
import { MAX_BODY_BYTES, renderMessage } from './render.js';
import { robotUrl } from './sign.js';

export const SINK_NAME = 'dingtalk';

/** Options in code: `await dingtalk({ access_token, sign, label: ['prod'] })`. */
export type DingTalkOptions = kit.OptionsInput<typeof dingtalkOptions>;

/** A DingTalk group robot, as kube-eventer's dingtalk sink: one message per event, 20 a minute. */
export const dingtalk = kit.defineSink({
  scheme: SINK_NAME,
  description:
    'DingTalk group robot (kube-eventer compatible): text or markdown messages, signing, keyword labels, mentions.',
  options: dingtalkOptions,
  // A robot over its rate is blocked for about 10 minutes: keep retrying past that.
  delivery: kit.chatRobotDelivery({ request: { retryMaxDurationMs: 15 * 60_000 } }),
  create(options) {
    const { endpoint, access_token: token, sign: secret } = options;
    if (new URL(endpoint).search !== '') {
      throw new kit.SinkConfigError(SINK_NAME, [
        "option 'endpoint' must be the URL without its query; give the token as 'access_token'",
      ]);
    }
    // Markdown reads markup in event text; output stops past the body limit.
    const markdown = options.msg_type === 'markdown' ? { escape: kit.muteChatMarkdown } : {};
    const layout = {
      ...options,
      ...kit.chatLayout(SINK_NAME, options, { maxLength: MAX_BODY_BYTES, ...markdown }),
    };
    return kit.messageSink(SINK_NAME, (batch, signal) => {
      const url = robotUrl(endpoint, token, secret, Date.now());
      const judge = (answer: kit.HttpAnswer) => answerError(answer, layout);
      return kit.sendChecked(SINK_NAME, url, renderMessage(batch, layout), { signal, judge });
    });
  },
});
