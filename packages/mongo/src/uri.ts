import type { ParsedSinkUri } from '@keventer/core/kit';
import { SINK_KEYS } from './options.js';

/**
 * kube-eventer's URI, `mongo:?mongodb://user:pw@db:27017/?authSource=admin`,
 * to raw options: the connection string as `url`, and this sink's own keys
 * (database=, write_concern=, level=...) taken out of its query. The
 * delivery engine's `batch.*`... keys are core's. `mongo:mongodb://...` is
 * read too.
 */
export function rawOptionsFromUri(uri: ParsedSinkUri): Record<string, unknown> {
  const source =
    uri.target !== '' ? `${uri.target}${uri.rawQuery ? `?${uri.rawQuery}` : ''}` : uri.rawQuery;
  const q = source.indexOf('?');
  const base = q < 0 ? source : source.slice(0, q);
  const kept: string[] = [];
  const raw: Record<string, string[]> = {};
  for (const piece of q < 0 ? [] : source.slice(q + 1).split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const key = decode(eq < 0 ? piece : piece.slice(0, eq));
    if (/^(batch|buffer|request|aggregate)\./.test(key)) continue;
    if (SINK_KEYS.has(key) && key !== 'url') {
      raw[key] = [...(raw[key] ?? []), decode(eq < 0 ? '' : piece.slice(eq + 1))];
    } else {
      kept.push(piece);
    }
  }
  raw.url = [kept.length > 0 ? `${base}?${kept.join('&')}` : base];
  return raw;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
