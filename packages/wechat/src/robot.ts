import { sendJson } from '@keventer/core';
import { checkErrcode, readAnswer } from './answer.js';
import type { RobotForm } from './form.js';
import type { Messenger } from './messenger.js';
import { SINK_NAME } from './options.js';

/** Posts to a group robot's webhook; mentions go with text messages only. */
export function createRobotMessenger(form: RobotForm): Messenger {
  return {
    async send({ msgtype, content }, signal) {
      const section = msgtype === 'text' ? { content, ...mentions(form) } : { content };
      const answer = await sendJson(
        SINK_NAME,
        form.url,
        { msgtype, [msgtype]: section },
        { signal },
      );
      checkErrcode('webhook/send', readAnswer('webhook/send', answer));
    },
  };
}

function mentions(form: RobotForm) {
  return {
    ...(form.mentionedList.length > 0 ? { mentioned_list: form.mentionedList } : {}),
    ...(form.mentionedMobileList.length > 0
      ? { mentioned_mobile_list: form.mentionedMobileList }
      : {}),
  };
}
