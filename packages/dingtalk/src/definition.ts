import {
  compileTemplateOption,
  defineSink,
  deliveryProfiles,
  filterFromKubeEventerOptions,
  muteChatMarkdown,
  type OptionsInput,
  SinkConfigError,
  sendJson,
} from '@keventer/core';
import { answerError } from './answer.js';
import type { Layout } from './layout.js';
import { MAX_BODY_BYTES, type Mentions, renderMessage } from './message.js';
import { dingtalkOptions } from './options.js';
import { robotUrl } from './sign.js';

export const SINK_NAME = 'dingtalk';

/** Options in code: `await dingtalk({ access_token, sign, label: ['prod'] })`. */
export type DingTalkOptions = OptionsInput<typeof dingtalkOptions>;

const { chatRobot } = deliveryProfiles;

/**
 * A DingTalk group robot, as kube-eventer's dingtalk sink: one message per
 * event, 20 a minute, Warning events only unless `level=Normal`.
 */
export const dingtalk = defineSink({
  scheme: SINK_NAME,
  description:
    'DingTalk group robot (kube-eventer compatible): text or markdown messages, signing, keyword labels, mentions.',
  options: dingtalkOptions,
  delivery: {
    ...chatRobot,
    // A robot over its rate is blocked for about 10 minutes: keep retrying past that.
    request: { ...chatRobot.request, retryMaxDurationMs: 15 * 60_000 },
  },
  create(options) {
    const endpoint = options.endpoint;
    if (new URL(endpoint).search !== '') {
      throw new SinkConfigError(SINK_NAME, [
        "option 'endpoint' must be the URL without its query; give the token as 'access_token'",
      ]);
    }
    const layout: Layout = {
      msgType: options.msg_type,
      labels: options.label ?? [],
      ...(options.cluster_id ? { clusterId: options.cluster_id } : {}),
      ...(options.region ? { region: options.region } : {}),
      ...(options.template !== undefined
        ? {
            // Markdown reads markup in event text; output stops past the body limit.
            template: compileTemplateOption(SINK_NAME, options.template, {
              maxLength: MAX_BODY_BYTES,
              ...(options.msg_type === 'markdown' ? { escape: muteChatMarkdown } : {}),
            }),
          }
        : {}),
    };
    const mentions: Mentions = {
      atMobiles: options.at_mobiles ?? [],
      atUserIds: options.at_user_ids ?? [],
      isAtAll: options.at_all,
    };
    const secret = options.sign;
    const context = { signed: secret !== undefined, labels: layout.labels };
    return {
      name: SINK_NAME,
      filter: filterFromKubeEventerOptions(options),
      async write(batch, { signal }) {
        if (batch.length === 0) return;
        const body = renderMessage(batch, layout, mentions);
        const url = robotUrl(endpoint, options.access_token, secret, Date.now());
        const error = answerError(await sendJson(SINK_NAME, url, body, { signal }), context);
        if (error) throw error;
      },
    };
  },
});
