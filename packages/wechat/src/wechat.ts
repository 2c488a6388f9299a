import {
  compileTemplateOption,
  defineSink,
  deliveryProfiles,
  filterFromKubeEventerOptions,
} from '@keventer/core';
import { createAppMessenger } from './app.js';
import { resolveForm } from './form.js';
import { SINK_NAME, wechatOptions } from './options.js';
import { CONTENT_MAX_BYTES, escapeFor, renderMessage } from './render.js';
import { createRobotMessenger } from './robot.js';

/**
 * WeCom (WeChat Work): kube-eventer's `wechat` sink (application messages,
 * `wechat:?corp_id=&corp_secret=&agent_id=`) and group robots
 * (`wechat:https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY`).
 * One message per write (one event by default); a digest is one message.
 */
export const wechat = defineSink({
  scheme: SINK_NAME,
  description:
    'WeCom (WeChat Work): application messages like kube-eventer, or a group robot webhook.',
  options: wechatOptions,
  // Robots take 20 messages a minute; applications 30 a minute per member: 20 suits both.
  delivery: deliveryProfiles.chatRobot,
  create(options) {
    const form = resolveForm(options);
    const maxBytes = CONTENT_MAX_BYTES[form.kind][options.msg_type];
    const escapeText = escapeFor(form.kind, options.msg_type);
    // Values escaped for the message type; output stops past the content limit.
    const template =
      options.template === undefined
        ? undefined
        : compileTemplateOption(SINK_NAME, options.template, {
            escape: escapeText,
            maxLength: maxBytes,
          });
    const messenger = form.kind === 'app' ? createAppMessenger(form) : createRobotMessenger(form);
    const render = {
      msgtype: options.msg_type,
      maxBytes,
      escapeText,
      labels: options.label ?? [],
      ...(template ? { template } : {}),
    };
    return {
      name: SINK_NAME,
      filter: filterFromKubeEventerOptions(options),
      // One message per write: the engine's rate limit counts writes. A batch is
      // bigger than one event only when batch.maxEvents is raised.
      async write(batch, { signal }) {
        if (batch.length > 0) await messenger.send(renderMessage(batch, render), signal);
      },
    };
  },
});
