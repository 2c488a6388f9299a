import * as kit from '@keventer/core/kit';
import { answerError } from './answer.js';
import { slackOptions } from './options.js';
import { renderMessage } from './render.js';

export const SINK_NAME = 'slack';

/** Options in code: `await slack({ endpoint, msg_type: 'blocks' })`. */
export type SlackOptions = kit.OptionsInput<typeof slackOptions>;

/** A Slack incoming webhook: one message per event, as mrkdwn text or blocks. */
export const slack = kit.defineSink({
  scheme: SINK_NAME,
  description: 'Slack incoming webhook: text or blocks, mrkdwn escaped, Retry-After honoured.',
  options: slackOptions,
  delivery: kit.chatRobotDelivery({
    // Slack allows a webhook about one message a second (short bursts pass).
    request: { rateLimitNum: 1, rateLimitDurationMs: 1000 },
    // About 5 minutes of messages at that rate, as the profile's 100 at 20 a minute.
    buffer: { maxEvents: 300 },
  }),
  create(options) {
    const layout = kit.chatLayout(SINK_NAME, options, { escape: kit.escapeEntities });
    const judge = (answer: kit.HttpAnswer) => answerError(SINK_NAME, answer);
    return kit.messageSink(SINK_NAME, (batch, signal) =>
      kit.sendChecked(SINK_NAME, options.endpoint, renderMessage(batch, layout), { signal, judge }),
    );
  },
});
