import { createHash, createHmac } from 'node:crypto';

export const API_VERSION = '0.6.0';

export interface SlsCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** STS credentials' token, sent as x-acs-security-token (and signed, as an x-acs- header). */
  readonly securityToken?: string;
}

/**
 * The headers of a signed request, signature v1:
 * `Authorization: LOG <id>:base64(HMAC-SHA1(secret, VERB\nContent-MD5\nContent-Type\nDate\n<x-log-/x-acs- headers>\n<resource>))`,
 * the headers lower-cased and sorted, each `key:value` on its own line.
 */
export function signedHeaders(
  request: {
    readonly method: string;
    /** The path: PutLogs has no query, so the canonical resource is the path alone. */
    readonly path: string;
    readonly body: Uint8Array;
    readonly contentType: string;
    /** Lower-case names (x-log-bodyrawsize, x-log-compresstype). */
    readonly headers: Readonly<Record<string, string>>;
  },
  credentials: SlsCredentials,
  now: Date,
): Record<string, string> {
  const headers: Record<string, string> = {
    ...request.headers,
    'content-type': request.contentType,
    'content-md5': createHash('md5').update(request.body).digest('hex').toUpperCase(),
    date: now.toUTCString(),
    'x-log-apiversion': API_VERSION,
    'x-log-signaturemethod': 'hmac-sha1',
    ...(credentials.securityToken ? { 'x-acs-security-token': credentials.securityToken } : {}),
  };
  const canonical = Object.keys(headers)
    .filter((name) => name.startsWith('x-log-') || name.startsWith('x-acs-'))
    .sort()
    .map((name) => `${name}:${(headers[name] ?? '').trim()}\n`)
    .join('');
  const text = `${request.method}\n${headers['content-md5']}\n${request.contentType}\n${headers.date}\n${canonical}${request.path}`;
  const signature = createHmac('sha1', credentials.accessKeySecret).update(text).digest('base64');
  headers.authorization = `LOG ${credentials.accessKeyId}:${signature}`;
  return headers;
}
