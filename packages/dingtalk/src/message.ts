import {
  type KubeEvent,
  permanentError,
  TRUNCATED_MARKER,
  truncateUtf8,
  utf8Length,
} from '@keventer/core';
import { type Layout, renderContent, renderMarkdownTitle } from './layout.js';

/**
 * DingTalk refuses a request body over 20000 bytes of UTF-8 (errcode 460101,
 * "请保持大小在 20000bytes 以内"), so the whole JSON body is kept within it,
 * escapes included.
 */
export const MAX_BODY_BYTES = 20_000;

/** Who a message @mentions (DingTalk's `at`). */
export interface Mentions {
  readonly atMobiles: readonly string[];
  readonly atUserIds: readonly string[];
  readonly isAtAll: boolean;
}

/** The JSON body of one robot message for a batch, cut to fit DingTalk's limit. */
export function renderMessage(
  batch: readonly KubeEvent[],
  layout: Layout,
  mentions: Mentions,
): string {
  const content = renderContent(batch, layout);
  // DingTalk pings a markdown message's mentions only when `@<mobile>` is in
  // the text; both types carry the line, after the cut so it is never lost.
  const names = [...mentions.atMobiles, ...mentions.atUserIds].map((who) => `@${who}`);
  const tail = names.length > 0 ? `\n\n${names.join(' ')}` : '';
  const at = names.length > 0 || mentions.isAtAll ? { at: mentions } : {};
  const title = renderMarkdownTitle(batch);
  return fitBody(content, (text) =>
    layout.msgType === 'text'
      ? { msgtype: 'text', text: { content: text + tail }, ...at }
      : { msgtype: 'markdown', markdown: { title, text: text + tail }, ...at },
  );
}

/**
 * The body, with `content` cut on a UTF-8 boundary and marked when the whole
 * does not fit. Escapes make the JSON size of a cut hard to predict (`\n` is
 * two bytes, a control character six), so the longest cut that fits is
 * searched for: the size only grows with the cut.
 */
function fitBody(content: string, build: (text: string) => unknown): string {
  const whole = JSON.stringify(build(content));
  if (utf8Length(whole) <= MAX_BODY_BYTES) return whole;
  const fitting = (budget: number): string | undefined => {
    const body = JSON.stringify(build(truncateUtf8(content, budget)));
    return utf8Length(body) <= MAX_BODY_BYTES ? body : undefined;
  };
  let low = utf8Length(TRUNCATED_MARKER) + 1;
  let best = fitting(low);
  if (best === undefined) {
    throw permanentError(
      'dingtalk',
      `the message leaves no room for its text within DingTalk's ${MAX_BODY_BYTES} bytes: use fewer or shorter labels and mentions`,
    );
  }
  let high = Math.min(utf8Length(content) - 1, MAX_BODY_BYTES);
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    const body = fitting(middle);
    if (body === undefined) high = middle - 1;
    else [best, low] = [body, middle];
  }
  return best;
}
