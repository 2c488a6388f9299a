import { createHmac } from 'node:crypto';

/** DingTalk's robot signature: base64(HMAC-SHA256(secret, `${timestampMs}\n${secret}`)). */
export function dingtalkSignature(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

/**
 * `<endpoint>?access_token=T`, plus `&timestamp=MS&sign=SIG` when the robot
 * signs: with the time of each request (DingTalk refuses one an hour off),
 * percent-encoded (a base64 '+' would read as a space).
 */
export function robotUrl(endpoint: string, token: string, secret: string | undefined, now: number) {
  const url = `${endpoint}?access_token=${encodeURIComponent(token)}`;
  if (secret === undefined) return url;
  return `${url}&timestamp=${now}&sign=${encodeURIComponent(dingtalkSignature(secret, now))}`;
}
