import { deflateSync } from 'node:zlib';
import { compressBlock, compressBound } from 'lz4js';
import type { SlsCompression } from './options.js';

/** What goes on the wire: the body, and `x-log-compresstype` (none for an uncompressed body). */
export interface CompressedBody {
  readonly body: Uint8Array;
  readonly compressType?: 'lz4' | 'deflate';
}

/**
 * The raw protobuf compressed as SLS reads it: lz4 is the raw LZ4 *block*
 * format (no frame, no size prefix: the size travels in x-log-bodyrawsize),
 * deflate is zlib's (RFC 1950) stream.
 */
export function compressBody(raw: Uint8Array, compression: SlsCompression): CompressedBody {
  if (compression === 'none') return { body: raw };
  if (compression === 'deflate') return { body: deflateSync(raw), compressType: 'deflate' };
  return { body: lz4Block(raw), compressType: 'lz4' };
}

function lz4Block(raw: Uint8Array): Uint8Array {
  const out = new Uint8Array(compressBound(raw.length));
  // lz4js keeps positions + 1 in a 64K-entry table; a fresh one per body.
  const written = compressBlock(raw, out, 0, raw.length, new Uint32Array(1 << 16));
  // lz4js writes nothing when it found no match: then the block is all literals.
  return written > 0 ? out.subarray(0, written) : literalBlock(raw);
}

/** An LZ4 block of one literal run: the token, the run's length in 255s, then the bytes. */
function literalBlock(raw: Uint8Array): Uint8Array {
  const extra = raw.length >= 15 ? Math.floor((raw.length - 15) / 255) + 1 : 0;
  const out = new Uint8Array(1 + extra + raw.length);
  out[0] = Math.min(raw.length, 15) << 4;
  let at = 1;
  for (let rest = raw.length - 15; at <= extra; rest -= 255) out[at++] = Math.min(rest, 255);
  out.set(raw, at);
  return out;
}
