import {
  eventFields,
  eventTemplateRoots,
  type KubeEvent,
  muteChatMarkdown,
  muteChatTags,
  renderText,
  type Template,
  truncateUtf8,
} from '@keventer/core';
import type { OutgoingMessage } from './messenger.js';

/** Content limits in UTF-8 bytes: robot text 2048, robot markdown 4096, application 2048. */
export const CONTENT_MAX_BYTES = {
  robot: { text: 2048, markdown: 4096 },
  app: { text: 2048, markdown: 2048 },
} as const;

export interface RenderOptions {
  readonly msgtype: 'text' | 'markdown';
  readonly maxBytes: number;
  /** Lines before the content (kube-eventer's `label`). */
  readonly labels: readonly string[];
  /** `escapeFor(form, msgtype)`: applied to event text. */
  readonly escapeText: (text: string) => string;
  /** Compiled with `escapeText` and within `maxBytes`. */
  readonly template?: Template;
}

/**
 * Escapes event text for what WeCom reads, so it cannot mention, recolour or
 * link: tags and links in markdown (`<font>`, `<@userid>`, `[text](url)`);
 * tags in an application's text message, which reads `<a href>`. A robot's
 * text message reads no markup (its mentions are `mentioned_list`).
 */
export function escapeFor(
  form: 'app' | 'robot',
  msgtype: 'text' | 'markdown',
): (text: string) => string {
  if (msgtype === 'markdown') return muteChatMarkdown;
  return form === 'app' ? muteChatTags : (text) => text;
}

// WeCom markdown's three font colours.
const LEVEL_COLOURS: Readonly<Record<string, string>> = { Warning: 'warning', Normal: 'info' };

/**
 * Events as one message: each event's (or digest's) template output, else
 * kube-eventer's text layout or its markdown variant (bold field names, the
 * level in colour), a blank line between events; labels first; cut to the
 * limit with a visible marker.
 */
export function renderMessage(
  events: readonly KubeEvent[],
  options: RenderOptions,
): OutgoingMessage {
  const { msgtype, labels, template, escapeText } = options;
  const bodies = events.map((event) =>
    template
      ? template.render(...eventTemplateRoots(event))
      : msgtype === 'markdown'
        ? renderMarkdown(event)
        : escapeText(renderText(event)),
  );
  const content = [...labels, bodies.join('\n\n')].join('\n');
  return { msgtype, content: truncateUtf8(content, options.maxBytes) };
}

function renderMarkdown(event: KubeEvent): string {
  return eventFields(event)
    .map(([name, value]) =>
      name === 'Level'
        ? `**${name}:** <font color="${LEVEL_COLOURS[value] ?? 'comment'}">${muteChatMarkdown(value)}</font>`
        : `**${name}:** ${muteChatMarkdown(value)}`,
    )
    .join('\n');
}
