import {
  compileTemplateOption,
  defineSink,
  deliveryProfiles,
  filterFromKubeEventerOptions,
  type OptionsInput,
  sendJson,
} from '@keventer/core';
import { answerError } from './answer.js';
import { fitBody } from './fit.js';
import { feishuOptions } from './options.js';
import { escapeFor, type Layout, renderMessage } from './render.js';
import { signatureFields } from './sign.js';

export const SINK_NAME = 'feishu';

/**
 * Feishu's custom bot guide: a request body must not exceed 20K (its error
 * table, under 9499 Bad Request: "请求体大小不能超过20k"). 20,000 bytes is
 * within either reading of K.
 */
export const MAX_BODY_BYTES = 20_000;

/** Options in code: `await feishu({ endpoint, sign, msg_type: 'interactive' })`. */
export type FeishuOptions = OptionsInput<typeof feishuOptions>;

const { chatRobot } = deliveryProfiles;

/**
 * A Feishu (or Lark) group custom bot: one signed message per event, as
 * text, rich text (post) or a card, Warning events only unless `level=Normal`.
 */
export const feishu = defineSink({
  scheme: SINK_NAME,
  description:
    'Feishu / Lark custom bot: text, post or card messages, signing, keyword labels, code checks.',
  options: feishuOptions,
  delivery: {
    ...chatRobot,
    // Feishu allows a bot 100 messages a minute and 5 a second; the engine has one
    // window. 5 per 3.2 s lets a burst of 5 go at once and stays under 94 a minute,
    // leaving room for retries, which the limiter does not count.
    request: { ...chatRobot.request, rateLimitNum: 5, rateLimitDurationMs: 3200 },
    // About 5 minutes of messages at that rate, as the profile's 100 at 20 a minute.
    buffer: { ...chatRobot.buffer, maxEvents: 500 },
  },
  create(options) {
    const { endpoint, sign } = options;
    const layout: Layout = {
      msgType: options.msg_type,
      labels: options.label ?? [],
      ...(options.template === undefined
        ? {}
        : {
            template: compileTemplateOption(SINK_NAME, options.template, {
              escape: escapeFor(options.msg_type),
            }),
          }),
    };
    return {
      name: SINK_NAME,
      filter: filterFromKubeEventerOptions(options),
      async write(batch, { signal }) {
        if (batch.length === 0) return;
        const frame = sign === undefined ? {} : signatureFields(sign, Date.now());
        const body = fitBody(SINK_NAME, renderMessage(batch, layout), frame, MAX_BODY_BYTES);
        const answer = await sendJson(SINK_NAME, endpoint, body, { signal });
        const error = answerError(SINK_NAME, answer);
        if (error) throw error;
      },
    };
  },
});
