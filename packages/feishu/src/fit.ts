import { permanentError, TRUNCATED_MARKER, truncateUtf8, utf8Length } from '@keventer/core';
import type { Message } from './render.js';

/**
 * The JSON body of `message` within `maxBytes`: when it is too big, its text
 * is cut on a UTF-8 boundary, with the marker, as little as possible. JSON
 * escaping makes the body grow unevenly with the text (`"` takes 2 bytes, a
 * control character 6), so the longest cut that fits is found by bisection:
 * about 16 rounds for 50 KB, only for messages over the limit.
 */
export function fitBody(
  sink: string,
  message: Message,
  frame: Readonly<Record<string, unknown>>,
  maxBytes: number,
): string {
  const serialize = (text: string) => JSON.stringify({ ...frame, ...message.body(text) });
  const whole = serialize(message.text);
  if (utf8Length(whole) <= maxBytes) return whole;
  const cut = (budget: number) => serialize(truncateUtf8(message.text, budget));
  const fits = (budget: number) => utf8Length(cut(budget)) <= maxBytes;
  let low = utf8Length(TRUNCATED_MARKER) + 1;
  let high = utf8Length(message.text) - 1;
  if (!fits(low)) {
    throw permanentError(
      sink,
      `the message cannot fit in ${maxBytes} bytes even with its text cut (labels or title too long?)`,
    );
  }
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return cut(low);
}
