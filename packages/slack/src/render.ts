import {
  eventFields,
  eventTemplateRoots,
  type KubeEvent,
  renderTitle,
  type Template,
} from '@keventer/core';
import { escapeMrkdwn, truncateChars } from './mrkdwn.js';
import type { SlackMsgType } from './options.js';

/** Slack's limits: `text` is cut beyond 40,000 characters, a section's text may hold 3,000, a header 150, a message 50 blocks. */
export const LIMITS = { textChars: 40_000, sectionChars: 3000, headerChars: 150, blocks: 50 };

/** How events become a message. */
export interface Layout {
  readonly msgType: SlackMsgType;
  readonly labels: readonly string[];
  /** Compiled with `escape: escapeMrkdwn`. */
  readonly template?: Template;
}

/** An incoming webhook body: `text` is always set, as the notification and fallback. */
export interface SlackBody {
  text: string;
  blocks?: Block[];
}

export type Block =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji: true } }
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'context'; elements: [{ type: 'mrkdwn'; text: string }] }
  | { type: 'divider' };

/** One message for the whole batch (one event, or one digest, with the chat defaults). */
export function renderMessage(batch: readonly KubeEvent[], layout: Layout): SlackBody {
  if (layout.msgType === 'text') {
    const events = batch.map((event) => eventText(event, layout, plainLine)).join('\n\n');
    const text = layout.labels.length > 0 ? `${layout.labels.join('\n')}\n${events}` : events;
    return { text: truncateChars(text, LIMITS.textChars) };
  }
  const title = titleOf(batch);
  return {
    text: truncateChars(escapeMrkdwn(title), LIMITS.textChars),
    blocks: blocksOf(batch, title, layout),
  };
}

/** kube-eventer's layout: `Name: value` lines, values escaped (bold names in blocks). */
function eventText(
  event: KubeEvent,
  layout: Layout,
  line: (name: string, value: string) => string,
) {
  if (layout.template)
    return layout.template.render(...eventTemplateRoots(event, { labels: layout.labels }));
  return eventFields(event)
    .map(([name, value]) => line(name, escapeMrkdwn(value)))
    .join('\n');
}

const plainLine = (name: string, value: string) => `${name}: ${value}`;
const boldLine = (name: string, value: string) => `*${name}:* ${value}`;

function titleOf(batch: readonly KubeEvent[]): string {
  const [first] = batch;
  if (!first) return '';
  return batch.length === 1
    ? renderTitle(first)
    : `${renderTitle(first)} and ${batch.length - 1} more`;
}

/**
 * A header, the labels as context, then a section per event (dividers
 * between). Past 50 blocks the last one says how many events were left out.
 */
function blocksOf(batch: readonly KubeEvent[], title: string, layout: Layout): Block[] {
  const blocks: Block[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncateChars(title, LIMITS.headerChars, '…'),
        emoji: true,
      },
    },
  ];
  if (layout.labels.length > 0) blocks.push(context(layout.labels.join('\n')));
  for (const [i, event] of batch.entries()) {
    const needed = i === 0 ? 1 : 2;
    const last = i === batch.length - 1;
    if (blocks.length + needed + (last ? 0 : 1) > LIMITS.blocks) {
      blocks.push(context(`…(truncated): ${batch.length - i} more events not shown`));
      break;
    }
    if (i > 0) blocks.push({ type: 'divider' });
    const heading = batch.length > 1 ? `*${escapeMrkdwn(renderTitle(event))}*\n` : '';
    const text = heading + eventText(event, layout, boldLine);
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncateChars(text, LIMITS.sectionChars) },
    });
  }
  return blocks;
}

function context(text: string): Block {
  return {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: truncateChars(text, LIMITS.sectionChars) }],
  };
}
