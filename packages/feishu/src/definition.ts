import * as kit from '@keventer/core/kit';
import { answerError } from './answer.js';
import { feishuOptions } from './options.js';
import { escapeFor, renderBody } from './render.js';
import { signatureFields } from './sign.js';

export const SINK_NAME = 'feishu';

/** Options in code: `await feishu({ endpoint, sign, msg_type: 'interactive' })`. */
export type FeishuOptions = kit.OptionsInput<typeof feishuOptions>;

/** A Feishu (or Lark) custom bot: one signed message per event, as text, post or card. */
export const feishu = kit.defineSink({
  scheme: SINK_NAME,
  description:
    'Feishu / Lark custom bot: text, post or card messages, signing, keyword labels, code checks.',
  options: feishuOptions,
  delivery: kit.chatRobotDelivery({
    // 100 a minute and 5 a second per bot, and the engine has one window: 5 per 3.2 s
    // lets a burst of 5 go and stays under 94 a minute, leaving room for retries.
    request: { rateLimitNum: 5, rateLimitDurationMs: 3200 },
    // About 5 minutes of messages at that rate, as the profile's 100 at 20 a minute.
    buffer: { maxEvents: 500 },
  }),
  create(options) {
    const { endpoint, sign } = options;
    const layout = kit.chatLayout(SINK_NAME, options, { escape: escapeFor(options.msg_type) });
    const judge = (answer: kit.HttpAnswer) => answerError(SINK_NAME, answer);
    return kit.messageSink(SINK_NAME, (batch, signal) => {
      const frame = sign === undefined ? {} : signatureFields(sign, Date.now());
      const body = renderBody(batch, layout, frame);
      return kit.sendChecked(SINK_NAME, endpoint, body, { signal, judge });
    });
  },
});
