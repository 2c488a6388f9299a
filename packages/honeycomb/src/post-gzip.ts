import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import * as kit from '@keventer/core/kit';

const gzipAsync = promisify(gzip);

/**
 * The most of an answer read: Honeycomb answers one status per event
 * (`{"status":202}`, ~60 bytes with an error string), so 1 MiB holds the
 * answer to the largest batch; the kit's 16 KiB would cut it.
 */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * POSTs `json` gzipped (Content-Encoding: gzip) and reads a bounded answer.
 * kit.sendJson sends text bodies only, hence this one; it keeps sendJson's
 * rules: no redirect followed (a 3xx is permanent), network failures and
 * aborts retryable, certificate problems permanent.
 */
export async function postGzip(
  sink: string,
  url: URL,
  json: string,
  options: { signal: AbortSignal; headers: Readonly<Record<string, string>> },
): Promise<kit.HttpAnswer> {
  try {
    const body = await gzipAsync(json, { level: 1 });
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        ...options.headers,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      body,
      signal: options.signal,
      redirect: 'manual',
    });
    const redirect = response.status >= 300 && response.status < 400;
    if (redirect) {
      await response.body?.cancel().catch(() => {});
      throw kit.classifyHttpResponse(sink, response.status, response.headers);
    }
    const { text, truncated } = await readBounded(response);
    return { status: response.status, headers: response.headers, text, truncated };
  } catch (error) {
    throw kit.isSinkError(error) ? error : kit.toSinkError(sink, error);
  }
}

async function readBounded(response: Response): Promise<{ text: string; truncated: boolean }> {
  if (response.body === null) return { text: '', truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      read += value.byteLength;
      if (read >= MAX_ANSWER_BYTES) break;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  const all = Buffer.concat(chunks);
  const truncated = all.byteLength >= MAX_ANSWER_BYTES;
  return { text: all.subarray(0, MAX_ANSWER_BYTES).toString('utf8'), truncated };
}
