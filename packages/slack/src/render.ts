import * as kit from '@keventer/core/kit';
import type { SlackMsgType } from './options.js';

/** Slack's limits: `text` is cut beyond 40,000 characters, a section's text may hold 3,000, a header 150, a message 50 blocks. */
export const LIMITS = { textChars: 40_000, sectionChars: 3000, headerChars: 150, blocks: 50 };

/** How events become a message; a template is compiled with `escape: escapeEntities`. */
export type Layout = kit.ChatLayout<SlackMsgType>;

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
export function renderMessage(batch: readonly kit.KubeEvent[], layout: Layout): SlackBody {
  if (layout.msgType === 'text') {
    const text = kit.chatText(batch, layout, (event) => fields(event, plainLine), roots(layout));
    return { text: kit.truncateChars(text, LIMITS.textChars) };
  }
  const title = kit.batchTitle(batch);
  return {
    text: kit.truncateChars(kit.escapeEntities(title), LIMITS.textChars),
    blocks: blocksOf(batch, title, layout),
  };
}

/** kube-eventer's layout: `Name: value` lines, values escaped (bold names in blocks). */
const fields = (event: kit.KubeEvent, line: (name: string, value: string) => string) =>
  kit
    .eventFields(event)
    .map(([name, value]) => line(name, kit.escapeEntities(value)))
    .join('\n');
const plainLine = (name: string, value: string) => `${name}: ${value}`;
const boldLine = (name: string, value: string) => `*${name}:* ${value}`;
const roots = (layout: Layout) => () => ({ labels: layout.labels });

/**
 * A header, the labels as context, then a section per event (dividers
 * between). Past 50 blocks the last one says how many events were left out.
 */
function blocksOf(batch: readonly kit.KubeEvent[], title: string, layout: Layout): Block[] {
  const header = kit.truncateChars(title, LIMITS.headerChars, '…');
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: header, emoji: true } },
  ];
  if (layout.labels.length > 0) blocks.push(context(layout.labels.join('\n')));
  const texts = kit.eventTexts(batch, layout, (event) => fields(event, boldLine), roots(layout));
  for (const [i, event] of batch.entries()) {
    const last = i === batch.length - 1;
    if (blocks.length + (i === 0 ? 1 : 2) + (last ? 0 : 1) > LIMITS.blocks) {
      blocks.push(context(`…(truncated): ${batch.length - i} more events not shown`));
      break;
    }
    if (i > 0) blocks.push({ type: 'divider' });
    const heading = batch.length > 1 ? `*${kit.escapeEntities(kit.renderTitle(event))}*\n` : '';
    const text = kit.truncateChars(heading + texts[i], LIMITS.sectionChars);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text } });
  }
  return blocks;
}

function context(text: string): Block {
  const element = { type: 'mrkdwn', text: kit.truncateChars(text, LIMITS.sectionChars) } as const;
  return { type: 'context', elements: [element] };
}
