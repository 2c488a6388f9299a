/**
 * An LZ4 *block* decoder, written from the format description (lz4_Block_format.md),
 * for the fake server: it reads what the sink's compressor (lz4js) wrote without
 * sharing its code. Throws on any malformed block, as SLS answers PostBodyUncompressError.
 */
export function decodeLz4Block(src: Uint8Array, rawSize: number): Uint8Array {
  const out = new Uint8Array(rawSize);
  let s = 0;
  let d = 0;
  const length = (initial: number) => {
    let n = initial;
    if (n === 15) {
      for (;;) {
        const b = src[s++];
        if (b === undefined) throw new Error('lz4: truncated length');
        n += b;
        if (b !== 255) break;
      }
    }
    return n;
  };
  while (s < src.length) {
    const token = src[s++] as number;
    const literals = length(token >> 4);
    if (s + literals > src.length || d + literals > out.length)
      throw new Error('lz4: literals past the end');
    out.set(src.subarray(s, s + literals), d);
    s += literals;
    d += literals;
    if (s === src.length) break; // the last sequence has literals only
    if (s + 2 > src.length) throw new Error('lz4: truncated offset');
    const offset = (src[s] as number) | ((src[s + 1] as number) << 8);
    s += 2;
    if (offset === 0 || offset > d) throw new Error(`lz4: bad offset ${offset} at ${d}`);
    const match = length(token & 15) + 4;
    if (d + match > out.length) throw new Error('lz4: match past the end');
    // Byte by byte: a match may overlap what it writes (offset < length).
    for (let i = 0; i < match; i++, d++) out[d] = out[d - offset] as number;
  }
  if (d !== rawSize) throw new Error(`lz4: ${d} bytes decoded, x-log-bodyrawsize says ${rawSize}`);
  return out;
}
