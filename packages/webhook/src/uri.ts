import { type ParsedSinkUri, SinkConfigError } from '@keventer/core/kit';
import { SINK_NAME } from './options.js';

/** Prefix of a query key sent to the target as is: `query.namespace=x` sends `namespace=x`. */
export const PASS_PREFIX = 'query.';

/**
 * Splits a webhook URI the way a kube-eventer user needs: query keys that are
 * options of this sink are read as options and removed from the target URL
 * (kube-eventer sent them to the receiver too); every other key stays on the
 * target URL, byte for byte and in order, since kube-eventer users put their
 * receiver's own parameters there. A key that looks like a misspelt option
 * (another case, '-' for '_', a plural 's' added or missing) is refused
 * rather than silently sent on; `query.<key>` sends such a key anyway.
 */
export function webhookUriOptions(
  uri: ParsedSinkUri,
  optionKeys: ReadonlySet<string>,
): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  const kept: string[] = [];
  const problems: string[] = [];
  const looksLike = new Map([...optionKeys].map((key) => [fold(key), key]));
  for (const piece of uri.rawQuery.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const key = decode(eq < 0 ? piece : piece.slice(0, eq));
    // Keys missing from params are core's delivery settings (batch.*, request.*).
    if (!uri.params.has(key) || optionKeys.has(key)) continue;
    if (key.startsWith(PASS_PREFIX)) {
      kept.push(passThrough(piece, key));
      continue;
    }
    const option = looksLike.get(fold(key));
    if (option === undefined) kept.push(piece);
    else {
      problems.push(
        `'${key}' looks like the option '${option}': write '${option}=' for the option, or '${PASS_PREFIX}${key}=' to send it to the target URL`,
      );
    }
  }
  if (problems.length > 0) throw new SinkConfigError(SINK_NAME, [...new Set(problems)]);
  for (const [key, values] of uri.params) if (optionKeys.has(key)) raw[key] = [...values];
  if (uri.target !== '') {
    const target = kept.length > 0 ? `${uri.target}?${kept.join('&')}` : uri.target;
    raw.endpoint = [target, ...((raw.endpoint as string[] | undefined) ?? [])];
  }
  return raw;
}

function fold(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '').replace(/s$/, '');
}

function passThrough(piece: string, key: string): string {
  if (piece.startsWith(PASS_PREFIX)) return piece.slice(PASS_PREFIX.length);
  const eq = piece.indexOf('=');
  const name = encodeURIComponent(key.slice(PASS_PREFIX.length));
  return eq < 0 ? name : `${name}${piece.slice(eq)}`;
}

// Go's url.ParseQuery decoding, as core reads the params.
function decode(text: string): string {
  const plus = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}
