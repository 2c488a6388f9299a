import * as kit from '@keventer/core/kit';

/** DingTalk refuses a body over 20000 bytes of UTF-8 (errcode 460101), escapes included. */
export const MAX_BODY_BYTES = 20_000;

/** Whom a message @mentions (DingTalk's `at`). */
export type Mentions = {
  atMobiles: readonly string[];
  atUserIds: readonly string[];
  isAtAll: boolean;
};

/** How messages look; a template is compiled with `muteChatMarkdown` for markdown. */
export interface Layout extends kit.ChatLayout<'text' | 'markdown'> {
  readonly clusterId: string;
  readonly region: string;
  readonly mentions: Mentions;
}

const NO_ROOM = `the message leaves no room for its text within DingTalk's ${MAX_BODY_BYTES} bytes: use fewer or shorter labels and mentions`;

/** The JSON body of one robot message for a batch, cut to fit DingTalk's limit. */
export function renderMessage(batch: readonly kit.KubeEvent[], layout: Layout): string {
  const who = layout.mentions;
  // DingTalk pings a markdown message's mentions only when `@<mobile>` is in
  // the text; both types carry the line, after the cut so it is never lost.
  const names = [...who.atMobiles, ...who.atUserIds].map((name) => `@${name}`);
  const tail = names.length > 0 ? `\n\n${names.join(' ')}` : '';
  const at = names.length > 0 || who.isAtAll ? { at: who } : {};
  const title = kit.batchTitle(batch, (more) => ` (+${more} more)`);
  const body = (text: string) =>
    layout.msgType === 'text'
      ? { msgtype: 'text', text: { content: text + tail }, ...at }
      : { msgtype: 'markdown', markdown: { title, text: text + tail }, ...at };
  const limit = { maxBytes: MAX_BODY_BYTES, noRoom: NO_ROOM };
  return kit.fitJsonBody('dingtalk', content(batch, layout), body, limit);
}

function content(batch: readonly kit.KubeEvent[], layout: Layout): string {
  const { clusterId, region, labels } = layout;
  const roots = (event: kit.KubeEvent) => {
    const title = kit.renderTitle(event);
    return { cluster_id: clusterId, region, label: labels.join('\n'), title };
  };
  if (layout.msgType === 'text') return kit.chatText(batch, layout, kit.renderText, roots);
  const context = [
    ...(clusterId ? [`**Cluster:** ${clusterId}`] : []),
    ...(region ? [`**Region:** ${region}`] : []),
  ];
  // Paragraphs: DingTalk's markdown runs single-newline lines together.
  const events = kit.eventTexts(batch, layout, markdownBody, roots);
  return [...labels, ...context, ...events].join('\n\n');
}

// Event text is muted (no tags, no links): it must not recolour or disguise a link.
function markdownBody(event: kit.KubeEvent): string {
  const mute = kit.muteChatMarkdown;
  const fields = kit.eventFields(event).map(([name, value]) => `**${name}:** ${mute(value)}`);
  return [`### ${mute(kit.renderTitle(event))}`, ...fields].join('\n\n');
}
