import { TRUNCATED_MARKER } from '@keventer/core';

/**
 * Slack's docs ask to escape `&`, `<` and `>` in text: `<!channel>`,
 * `<@U123>` and `<http://x|y>` are control sequences, so event text must not
 * be able to mention people or disguise links.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * `text` within `maxChars` UTF-16 units (Slack's limits count characters; a
 * unit count is never below that), with `marker` when cut. The cut never
 * splits a surrogate pair or one of our escapes (`&amp;`).
 */
export function truncateChars(text: string, maxChars: number, marker = TRUNCATED_MARKER): string {
  if (text.length <= maxChars) return text;
  let end = maxChars - marker.length;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return text.slice(0, end).replace(/&(?:a|am|amp|l|lt|g|gt)?$/, '') + marker;
}
