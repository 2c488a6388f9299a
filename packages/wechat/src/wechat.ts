import * as kit from '@keventer/core/kit';
import { resolveForm } from './form.js';
import { SINK_NAME, wechatOptions } from './options.js';
import { CONTENT_MAX_BYTES, escapeFor, renderMessage } from './render.js';
import { appSender, robotSender } from './send.js';

/** WeCom: kube-eventer's `wechat` sink (application messages), and group robots. */
export const wechat = kit.defineSink({
  scheme: SINK_NAME,
  description:
    'WeCom (WeChat Work): application messages like kube-eventer, or a group robot webhook.',
  options: wechatOptions,
  // Robots take 20 messages a minute; applications 30 a minute per member: 20 suits both.
  delivery: kit.deliveryProfiles.chatRobot,
  create(options) {
    const form = resolveForm(options);
    const maxBytes = CONTENT_MAX_BYTES[form.kind][options.msg_type];
    const escapeText = escapeFor(form.kind, options.msg_type);
    // Values escaped for the message type; output stops past the content limit.
    const compile = { escape: escapeText, maxLength: maxBytes };
    const layout = { ...kit.chatLayout(SINK_NAME, options, compile), maxBytes, escapeText };
    const send = form.kind === 'app' ? appSender(form) : robotSender(form);
    // One message per write: the engine's rate limit counts writes.
    return kit.messageSink(SINK_NAME, (batch, signal) =>
      send(renderMessage(batch, layout), signal),
    );
  },
});
