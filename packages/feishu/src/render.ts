import * as kit from '@keventer/core/kit';
import type { FeishuMsgType } from './options.js';

/** How events become a message; a template is compiled with `escapeFor(msgType)`. */
export type Layout = kit.ChatLayout<FeishuMsgType>;

/** A request body may not exceed 20K (Feishu's 9499); 20,000 bytes is within either reading of K. */
export const MAX_BODY_BYTES = 20_000;
const NO_ROOM = `the message cannot fit in ${MAX_BODY_BYTES} bytes even with its text cut (labels or title too long?)`;

/** Escapes an event value for the message type's text. */
export function escapeFor(msgType: FeishuMsgType): (text: string) => string {
  if (msgType === 'text') return muteMentions;
  // Card markdown reads HTML entities, so '<' in event text cannot open an <at> or <font> tag.
  if (msgType === 'interactive') return kit.escapeEntities;
  return (text) => text; // post text elements are literal
}

/**
 * The JSON body of one message for the batch (one event, or one digest, with
 * the chat defaults) with `frame`'s fields (the signature), cut to fit.
 */
export function renderBody(batch: readonly kit.KubeEvent[], layout: Layout, frame: object): string {
  const escapeValue = escapeFor(layout.msgType);
  const bold = layout.msgType === 'interactive';
  // kube-eventer's layout: `Name: value` lines per event (bold names on cards).
  const fields = (event: kit.KubeEvent) =>
    kit
      .eventFields(event)
      .map(([name, value]) => (bold ? `**${name}:** ` : `${name}: `) + escapeValue(value))
      .join('\n');
  const text = kit.chatText(batch, layout, fields, () => ({ labels: layout.labels }));
  const title = kit.batchTitle(batch);
  const header = { template: headerColour(batch), title: { tag: 'plain_text', content: title } };
  const bodies = {
    text: (t: string) => ({ msg_type: 'text', content: { text: t } }),
    // One locale is shown in every client language.
    post: (t: string) => {
      const content = t.split('\n').map((line) => [{ tag: 'text', text: line }]);
      return { msg_type: 'post', content: { post: { zh_cn: { title, content } } } };
    },
    interactive: (t: string) => {
      const elements = [{ tag: 'div', text: { tag: 'lark_md', content: t } }];
      return {
        msg_type: 'interactive',
        card: { config: { wide_screen_mode: true }, header, elements },
      };
    },
  };
  const body = bodies[layout.msgType];
  const limit = { maxBytes: MAX_BODY_BYTES, noRoom: NO_ROOM };
  return kit.fitJsonBody('feishu', text, (t) => ({ ...frame, ...body(t) }), limit);
}

/** The card header colour: red when any event is a Warning, blue for Normal, grey otherwise. */
function headerColour(batch: readonly kit.KubeEvent[]): string {
  if (batch.some((e) => e.type === 'Warning')) return 'red';
  return batch.every((e) => e.type === 'Normal') ? 'blue' : 'grey';
}

// Feishu reads `<at user_id="all">` in a text message as a mention of everyone;
// a zero-width space after '<' keeps event text from pinging the group.
function muteMentions(text: string): string {
  return text.replace(/<(?=\/?at[\s>])/gi, '<\u200b');
}
