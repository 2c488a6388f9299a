import { permanentError, TRUNCATED_MARKER, truncateUtf8, utf8Length } from '@keventer/core';
import type { Message } from './render.js';

/**
 * The JSON body of `message` within `maxBytes`: its text cut on a UTF-8
 * boundary, with the marker, until the serialized body fits. JSON escaping
 * makes the body grow faster than the text (`"` is 2 bytes, a control
 * character 6), so the cut is repeated with the overshoot taken off; each
 * round removes at least the overshoot, so this ends in a round or two.
 */
export function fitBody(
  sink: string,
  message: Message,
  frame: Readonly<Record<string, unknown>>,
  maxBytes: number,
): string {
  const serialize = (text: string) => JSON.stringify({ ...frame, ...message.body(text) });
  let text = message.text;
  let budget = utf8Length(text);
  for (;;) {
    const body = serialize(text);
    const over = utf8Length(body) - maxBytes;
    if (over <= 0) return body;
    budget -= over;
    if (budget <= utf8Length(TRUNCATED_MARKER)) {
      throw permanentError(
        sink,
        `the message cannot fit in ${maxBytes} bytes even with its text cut (labels or title too long?)`,
      );
    }
    text = truncateUtf8(message.text, budget);
  }
}
