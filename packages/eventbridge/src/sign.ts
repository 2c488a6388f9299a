import { createHmac, randomUUID } from 'node:crypto';

export interface AccessKey {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** Set for STS credentials: sent as x-acs-security-token (and signed). */
  readonly securityToken: string;
}

export interface SignedRequest {
  readonly method: string;
  /** The path and query, as the service reads it (`/openapi/putEvents`). */
  readonly resource: string;
  readonly contentType: string;
}

/**
 * The headers of an EventBridge request signed as its SDK signs them
 * (eventbridge-util's GetStringToSign and GetSignature): HMAC-SHA1 with the
 * AccessKey secret over
 * `METHOD\nContent-MD5\nContent-Type\nDate\n<x-acs-* headers, lowercase, sorted, "k:v\n">resource`,
 * base64, in `Authorization: acs:<AccessKeyId>:<signature>`. The body is not
 * signed (no Content-MD5, like the SDK); the nonce and the date make each
 * signature single-use.
 */
export function signedHeaders(
  key: AccessKey,
  request: SignedRequest,
  now = new Date(),
  nonce: string = randomUUID(),
): Record<string, string> {
  const acs: Record<string, string> = {
    'x-acs-signature-method': 'HMAC-SHA1',
    'x-acs-signature-nonce': nonce,
    'x-acs-signature-version': '1.0',
  };
  if (key.securityToken) {
    acs['x-acs-accesskey-id'] = key.accessKeyId;
    acs['x-acs-security-token'] = key.securityToken;
  }
  const date = now.toUTCString();
  const canonical = Object.keys(acs)
    .sort()
    .map((name) => `${name}:${acs[name]}\n`)
    .join('');
  const stringToSign = `${request.method}\n\n${request.contentType}\n${date}\n${canonical}${request.resource}`;
  const signature = createHmac('sha1', key.accessKeySecret).update(stringToSign).digest('base64');
  return {
    ...acs,
    date,
    accept: 'application/json',
    'content-type': request.contentType,
    'x-eventbridge-version': '2015-06-06',
    authorization: `acs:${key.accessKeyId}:${signature}`,
  };
}
