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
