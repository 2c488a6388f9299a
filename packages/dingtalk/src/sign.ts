import { createHmac } from 'node:crypto';

/**
 * DingTalk's robot signature: base64(HMAC-SHA256(key = secret,
 * msg = `${timestampMs}\n${secret}`)), before URL encoding.
 */
export function dingtalkSignature(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

/**
 * The URL a message is POSTed to: `<endpoint>?access_token=T`, plus
 * `&timestamp=MS&sign=SIG` when the robot signs. Signing uses the time of
 * each request: DingTalk refuses a timestamp more than an hour off.
 */
export function robotUrl(
  endpoint: string,
  accessToken: string,
  secret: string | undefined,
  now: number,
): string {
  // The signature is base64: its '+', '/' and '=' must be percent-encoded ('+' would read as a space).
  let url = `${endpoint}?access_token=${encodeURIComponent(accessToken)}`;
  if (secret !== undefined) {
    url += `&timestamp=${now}&sign=${encodeURIComponent(dingtalkSignature(secret, now))}`;
  }
  return url;
}
