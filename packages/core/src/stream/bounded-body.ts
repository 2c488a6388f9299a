import type { Readable } from 'node:stream';

/** A response body larger than its reader allows. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';

  constructor(
    readonly maxBytes: number,
    what: string,
  ) {
    super(`${what} is larger than ${maxBytes} bytes`);
  }
}

/**
 * Reads a whole body as bytes, up to `maxBytes`: past it the response is
 * destroyed and {@link BodyTooLargeError} thrown, so an endless body costs
 * `maxBytes` of memory, not all there is. Chunks are kept as they came
 * (off the JS heap) and joined once, instead of growing a string.
 */
export async function readBoundedBody(
  body: Readable,
  maxBytes: number,
  what = 'the response body',
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  try {
    for await (const chunk of body) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      bytes += buffer.length;
      if (bytes > maxBytes) throw new BodyTooLargeError(maxBytes, what);
      chunks.push(buffer);
    }
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks, bytes);
}
