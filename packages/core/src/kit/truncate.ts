const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Shown where a message was cut to fit a service's size limit. */
export const TRUNCATED_MARKER = '\n…(truncated)';

/**
 * `text` cut to at most `maxBytes` of UTF-8, on a character boundary, with
 * `marker` at the end when anything was cut (a chat service rejects, or cuts
 * mid-character, a message over its limit).
 */
export function truncateUtf8(text: string, maxBytes: number, marker = TRUNCATED_MARKER): string {
  // Fast path: every UTF-16 unit is at most 3 UTF-8 bytes.
  if (text.length * 3 <= maxBytes) return text;
  const bytes = encoder.encode(text);
  if (bytes.length <= maxBytes) return text;
  const room = maxBytes - encoder.encode(marker).length;
  if (room <= 0) throw new RangeError(`maxBytes ${maxBytes} leaves no room for the marker`);
  let end = room;
  // Back up over continuation bytes (10xxxxxx) to the start of a character.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return decoder.decode(bytes.subarray(0, end)) + marker;
}

export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/**
 * `text` within `maxChars` UTF-16 units, for services that count characters
 * (Slack; a unit count is never below theirs), with `marker` when cut. The
 * cut never splits a surrogate pair or an `escapeEntities` escape (`&amp;`).
 */
export function truncateChars(text: string, maxChars: number, marker = TRUNCATED_MARKER): string {
  if (text.length <= maxChars) return text;
  let end = maxChars - marker.length;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return text.slice(0, end).replace(/&(?:a|am|amp|l|lt|g|gt)?$/, '') + marker;
}
