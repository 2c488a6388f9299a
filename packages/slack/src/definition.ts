import {
  compileTemplateOption,
  defineSink,
  deliveryProfiles,
  filterFromKubeEventerOptions,
  type OptionsInput,
  sendJson,
} from '@keventer/core';
import { answerError } from './answer.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { slackOptions } from './options.js';
import { type Layout, renderMessage } from './render.js';

export const SINK_NAME = 'slack';

/** Options in code: `await slack({ endpoint, msg_type: 'blocks' })`. */
export type SlackOptions = OptionsInput<typeof slackOptions>;

const { chatRobot } = deliveryProfiles;

/**
 * A Slack incoming webhook: one message per event, as mrkdwn text or blocks,
 * Warning events only unless `level=Normal`.
 */
export const slack = defineSink({
  scheme: SINK_NAME,
  description: 'Slack incoming webhook: text or blocks, mrkdwn escaped, Retry-After honoured.',
  options: slackOptions,
  delivery: {
    ...chatRobot,
    // Slack allows a webhook about one message a second (short bursts pass).
    request: { ...chatRobot.request, rateLimitNum: 1, rateLimitDurationMs: 1000 },
    // About 5 minutes of messages at that rate, as the profile's 100 at 20 a minute.
    buffer: { ...chatRobot.buffer, maxEvents: 300 },
  },
  create(options) {
    const { endpoint } = options;
    const layout: Layout = {
      msgType: options.msg_type,
      labels: options.label ?? [],
      ...(options.template === undefined
        ? {}
        : {
            template: compileTemplateOption(SINK_NAME, options.template, { escape: escapeMrkdwn }),
          }),
    };
    return {
      name: SINK_NAME,
      filter: filterFromKubeEventerOptions(options),
      async write(batch, { signal }) {
        if (batch.length === 0) return;
        const body = renderMessage(batch, layout);
        const error = answerError(SINK_NAME, await sendJson(SINK_NAME, endpoint, body, { signal }));
        if (error) throw error;
      },
    };
  },
});
