import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature.js';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Set by the sink or by Node from the body; a user value would be wrong or ignored.
const RESERVED = new Set(['content-length', 'transfer-encoding', 'host', 'connection']);

/**
 * Reads kube-eventer's `header=Name=Value` entries (split at the first '=',
 * so a value may contain '=': kube-eventer dropped such headers). Returns the
 * headers with lower-case names, or the problems found; a problem never shows
 * a value, which may be a token.
 */
export function parseHeaders(
  entries: readonly string[],
  signing: boolean,
): { headers: Record<string, string>; problems: string[] } {
  const headers: Record<string, string> = {};
  const problems: string[] = [];
  for (const [i, entry] of entries.entries()) {
    const eq = entry.indexOf('=');
    const name = (eq < 0 ? entry : entry.slice(0, eq)).trim();
    const value = eq < 0 ? '' : entry.slice(eq + 1).trim();
    const lower = name.toLowerCase();
    // Without '=' the entry may be a bare token value: never print it.
    const which = eq > 0 && TOKEN.test(name) ? `header '${name}'` : `header #${i + 1}`;
    if (eq < 0 || !TOKEN.test(name)) {
      problems.push(`${which}: expected Name=Value with a valid header name`);
    } else if (/[\r\n\0]/.test(value)) {
      problems.push(`${which}: the value contains a line break or NUL`);
    } else if (RESERVED.has(lower)) {
      problems.push(`${which} is set from the request itself and cannot be given`);
    } else if (signing && (lower === SIGNATURE_HEADER || lower === TIMESTAMP_HEADER)) {
      problems.push(`${which} is set by signing_secret and cannot be given`);
    } else if (Object.hasOwn(headers, lower)) {
      problems.push(`${which} is given twice`);
    } else {
      headers[lower] = value;
    }
  }
  return { headers, problems };
}
