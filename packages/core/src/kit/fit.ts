import { permanentError } from '../sink/contract/errors.js';
import { TRUNCATED_MARKER, truncateUtf8, utf8Length } from './truncate.js';

/**
 * The JSON body `build(text)` within `maxBytes` of UTF-8: when the whole
 * does not fit, `text` is cut on a character boundary, marked, as little as
 * possible. JSON escapes make the size of a cut hard to predict (`\n` is two
 * bytes, a control character six), but it only grows with the cut, so the
 * longest cut that fits is found by bisection (about 16 rounds for 50 KB,
 * only for messages over the limit). `noRoom` is the permanent error's text
 * when even the shortest cut does not fit (labels, title or mentions too long).
 */
export function fitJsonBody(
  sink: string,
  text: string,
  build: (text: string) => unknown,
  limit: { readonly maxBytes: number; readonly noRoom: string },
): string {
  const { maxBytes } = limit;
  const whole = JSON.stringify(build(text));
  if (utf8Length(whole) <= maxBytes) return whole;
  const fitting = (budget: number): string | undefined => {
    const body = JSON.stringify(build(truncateUtf8(text, budget)));
    return utf8Length(body) <= maxBytes ? body : undefined;
  };
  let low = utf8Length(TRUNCATED_MARKER) + 1;
  let best = fitting(low);
  if (best === undefined) throw permanentError(sink, limit.noRoom);
  let high = Math.min(utf8Length(text) - 1, maxBytes);
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    const body = fitting(middle);
    if (body === undefined) high = middle - 1;
    else [best, low] = [body, middle];
  }
  return best;
}
