import * as kit from '@keventer/core/kit';

/** Content limits in UTF-8 bytes: robot text 2048, robot markdown 4096, application 2048. */
export const CONTENT_MAX_BYTES = {
  robot: { text: 2048, markdown: 4096 },
  app: { text: 2048, markdown: 2048 },
} as const;

/** One WeCom message: its type and its content, already within the size limit. */
export type OutgoingMessage = { readonly msgtype: 'text' | 'markdown'; readonly content: string };

/** Delivers one message through one of WeCom's APIs, or throws a SinkError. */
export type Send = (message: OutgoingMessage, signal: AbortSignal) => Promise<void>;

/** How messages look; `escapeText` is `escapeFor(form, msgtype)`, also the template's. */
export interface Layout extends kit.ChatLayout<'text' | 'markdown'> {
  readonly maxBytes: number;
  readonly escapeText: (text: string) => string;
}

/** Event text cannot mention, recolour or link where WeCom reads markup (not a robot's text). */
export function escapeFor(form: 'app' | 'robot', msgtype: 'text' | 'markdown') {
  if (msgtype === 'markdown') return kit.muteChatMarkdown;
  return form === 'app' ? kit.muteChatTags : (text: string) => text;
}

// WeCom markdown's three font colours.
const LEVEL_COLOURS: Readonly<Record<string, string>> = { Warning: 'warning', Normal: 'info' };

/** Events as one message: kube-eventer's text layout, or markdown with the level in colour. */
export function renderMessage(events: readonly kit.KubeEvent[], layout: Layout): OutgoingMessage {
  const { msgType: msgtype, escapeText } = layout;
  const fallback = (event: kit.KubeEvent) =>
    msgtype === 'markdown' ? renderMarkdown(event) : escapeText(kit.renderText(event));
  const content = kit.chatText(events, layout, fallback);
  return { msgtype, content: kit.truncateUtf8(content, layout.maxBytes) };
}

function renderMarkdown(event: kit.KubeEvent): string {
  const mute = kit.muteChatMarkdown;
  const line = ([name, value]: kit.Field) =>
    name === 'Level'
      ? `**${name}:** <font color="${LEVEL_COLOURS[value] ?? 'comment'}">${mute(value)}</font>`
      : `**${name}:** ${mute(value)}`;
  return kit.eventFields(event).map(line).join('\n');
}
