import * as kit from '@keventer/core/kit';
import type { dingtalkOptions } from './options.js';

/** DingTalk refuses a body over 20000 bytes of UTF-8 (errcode 460101), escapes included. */
export const MAX_BODY_BYTES = 20_000;

type Options = kit.ParsedOptions<typeof dingtalkOptions>;
/** The options, the template compiled (muted for markdown), for messages and answers. */
export type Layout = kit.ChatLayout<'text' | 'markdown'> &
  Pick<Options, 'sign' | 'cluster_id' | 'region' | 'at_mobiles' | 'at_user_ids' | 'at_all'>;

const NO_ROOM = `the message leaves no room for its text within DingTalk's ${MAX_BODY_BYTES} bytes: use fewer or shorter labels and mentions`;

/** The JSON body of one robot message for a batch, cut to fit DingTalk's limit. */
export function renderMessage(batch: readonly kit.KubeEvent[], layout: Layout): string {
  const { at_mobiles: atMobiles = [], at_user_ids: atUserIds = [], at_all: isAtAll } = layout;
  // DingTalk pings a markdown message's mentions only when `@<mobile>` is in
  // the text; both types carry the line, after the cut so it is never lost.
  const names = [...atMobiles, ...atUserIds].map((name) => `@${name}`);
  const tail = names.length > 0 ? `\n\n${names.join(' ')}` : '';
  const at = names.length > 0 || isAtAll ? { at: { atMobiles, atUserIds, isAtAll } } : {};
  const title = kit.batchTitle(batch, (more) => ` (+${more} more)`);
  const body = (text: string) =>
    layout.msgType === 'text'
      ? { msgtype: 'text', text: { content: text + tail }, ...at }
      : { msgtype: 'markdown', markdown: { title, text: text + tail }, ...at };
  const limit = { maxBytes: MAX_BODY_BYTES, noRoom: NO_ROOM };
  return kit.fitJsonBody('dingtalk', content(batch, layout), body, limit);
}

function content(batch: readonly kit.KubeEvent[], layout: Layout): string {
  const { cluster_id = '', region = '', labels } = layout;
  const label = labels.join('\n');
  const roots = (event: kit.KubeEvent) => ({
    cluster_id,
    region,
    label,
    title: kit.renderTitle(event),
  });
  if (layout.msgType === 'text') return kit.chatText(batch, layout, kit.renderText, roots);
  const context = [cluster_id && `**Cluster:** ${cluster_id}`, region && `**Region:** ${region}`];
  // Paragraphs: DingTalk's markdown runs single-newline lines together.
  const events = kit.eventTexts(batch, layout, markdownBody, roots);
  return [...labels, ...context.filter(Boolean), ...events].join('\n\n');
}

// Event text is muted (no tags, no links): it must not recolour or disguise a link.
function markdownBody(event: kit.KubeEvent): string {
  const mute = kit.muteChatMarkdown;
  const fields = kit.eventFields(event).map(([name, value]) => `**${name}:** ${mute(value)}`);
  return [`### ${mute(kit.renderTitle(event))}`, ...fields].join('\n\n');
}
