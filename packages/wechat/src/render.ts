import {
  eventFields,
  eventTemplateRoots,
  type KubeEvent,
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
  readonly template?: Template;
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
  const { msgtype, labels, template } = options;
  const bodies = events.map((event) =>
    template
      ? template.render(...eventTemplateRoots(event))
      : msgtype === 'markdown'
        ? renderMarkdown(event)
        : renderText(event),
  );
  const content = [...labels, bodies.join('\n\n')].join('\n');
  return { msgtype, content: truncateUtf8(content, options.maxBytes) };
}

function renderMarkdown(event: KubeEvent): string {
  return eventFields(event)
    .map(([name, value]) =>
      name === 'Level'
        ? `**${name}:** <font color="${LEVEL_COLOURS[value] ?? 'comment'}">${value}</font>`
        : `**${name}:** ${value}`,
    )
    .join('\n');
}
