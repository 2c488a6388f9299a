import { redactText } from '../secrets/redact.js';
import { currentSecrets, maskSecrets } from '../secrets/secret-values.js';

/** How much of an upstream text is looked at at all: a few KiB say what went wrong. */
const MAX_SCAN_CHARS = 16 * 1024;
const CUT_MARKER = '…';

/**
 * Text for an error or a log line: the running sink's secret values masked,
 * the generic secret shapes redacted, then cut to `maxChars`. The work is
 * bounded whatever the input's size (a 256 KiB errmsg, a 200 KB URI key).
 * `generic: false` skips the generic shapes, for a URI already redacted.
 */
export function cleanText(
  text: string,
  maxChars: number,
  options: { generic?: boolean } = {},
): string {
  const secrets = currentSecrets();
  // Masked before any cut, so a cut never leaves a secret's first half.
  const head = text.slice(0, MAX_SCAN_CHARS + (secrets[0]?.length ?? 0));
  const masked = maskSecrets(head, secrets).slice(0, MAX_SCAN_CHARS);
  const redacted = options.generic === false ? masked : redactText(masked);
  if (redacted.length > maxChars) return `${redacted.slice(0, maxChars)}${CUT_MARKER}`;
  return text.length > MAX_SCAN_CHARS ? `${redacted}${CUT_MARKER}` : redacted;
}

/** One line of at most `maxChars` (an answer body in an error message); not redacted. */
export function snippet(text: string, maxChars: number): string {
  const line = text
    .slice(0, maxChars * 4)
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > maxChars || text.length > maxChars * 4
    ? `${line.slice(0, maxChars)}${CUT_MARKER}`
    : line;
}
