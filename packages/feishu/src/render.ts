import {
  eventFields,
  eventTemplateRoots,
  type KubeEvent,
  renderTitle,
  type Template,
} from '@keventer/core';
import type { FeishuMsgType } from './options.js';

/** How events become a message. */
export interface Layout {
  readonly msgType: FeishuMsgType;
  readonly labels: readonly string[];
  /** Compiled with `escapeFor(msgType)`, so its values are escaped like the default layout's. */
  readonly template?: Template;
}

/**
 * A message as its main text (the part truncation cuts) and the JSON body
 * around it, so the body can be rebuilt around a shorter text.
 */
export interface Message {
  readonly text: string;
  body(text: string): Record<string, unknown>;
}

/** Escapes an event value for the message type's text. */
export function escapeFor(msgType: FeishuMsgType): (text: string) => string {
  if (msgType === 'text') return muteMentions;
  if (msgType === 'interactive') return escapeLarkMd;
  return (text) => text; // post text elements are literal
}

/** One message for the whole batch (one event, or one digest, with the chat defaults). */
export function renderMessage(batch: readonly KubeEvent[], layout: Layout): Message {
  const text = mainText(batch, layout);
  const title = titleOf(batch);
  if (layout.msgType === 'text') {
    return { text, body: (t) => ({ msg_type: 'text', content: { text: t } }) };
  }
  if (layout.msgType === 'post') {
    return { text, body: (t) => ({ msg_type: 'post', content: { post: postOf(title, t) } }) };
  }
  const template = headerColour(batch);
  return { text, body: (t) => ({ msg_type: 'interactive', card: cardOf(title, template, t) }) };
}

/** kube-eventer's layout: the labels, then `Name: value` lines per event (bold names on cards). */
function mainText(batch: readonly KubeEvent[], layout: Layout): string {
  const escapeValue = escapeFor(layout.msgType);
  const line =
    layout.msgType === 'interactive'
      ? (name: string, value: string) => `**${name}:** ${escapeValue(value)}`
      : (name: string, value: string) => `${name}: ${escapeValue(value)}`;
  const events = batch.map((event) =>
    layout.template
      ? layout.template.render(...eventTemplateRoots(event, { labels: layout.labels }))
      : eventFields(event)
          .map(([name, value]) => line(name, value))
          .join('\n'),
  );
  const body = events.join('\n\n');
  return layout.labels.length > 0 ? `${layout.labels.join('\n')}\n${body}` : body;
}

function titleOf(batch: readonly KubeEvent[]): string {
  const [first] = batch;
  if (!first) return '';
  return batch.length === 1
    ? renderTitle(first)
    : `${renderTitle(first)} and ${batch.length - 1} more`;
}

// One locale is shown in every client language.
function postOf(title: string, text: string) {
  return {
    zh_cn: { title, content: text.split('\n').map((line) => [{ tag: 'text', text: line }]) },
  };
}

function cardOf(title: string, template: string, text: string) {
  return {
    config: { wide_screen_mode: true },
    header: { template, title: { tag: 'plain_text', content: title } },
    elements: [{ tag: 'div', text: { tag: 'lark_md', content: text } }],
  };
}

/** The card header colour: red when any event is a Warning, blue for Normal, grey otherwise. */
function headerColour(batch: readonly KubeEvent[]): string {
  if (batch.some((e) => e.type === 'Warning')) return 'red';
  return batch.every((e) => e.type === 'Normal') ? 'blue' : 'grey';
}

// Feishu reads `<at user_id="all">` in a text message as a mention of everyone;
// a zero-width space after '<' keeps event text from pinging the group.
function muteMentions(text: string): string {
  return text.replace(/<(?=\/?at[\s>])/gi, '<\u200b');
}

// Card markdown reads HTML entities, so '<' in event text cannot open an <at> or <font> tag.
function escapeLarkMd(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
