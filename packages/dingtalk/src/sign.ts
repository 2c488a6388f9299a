import { createHmac } from 'node:crypto';

/**
 * `<endpoint>?access_token=T`, plus `&timestamp=MS&sign=SIG` when the robot signs:
 * base64(HMAC-SHA256(secret, `${now}\n${secret}`)) at the time of each request (DingTalk
 * refuses one an hour off), percent-encoded (a base64 '+' would read as a space).
 */
export function robotUrl(endpoint: string, token: string, secret: string | undefined, now: number) {
  const url = `${endpoint}?access_token=${encodeURIComponent(token)}`;
  if (secret === undefined) return url;
  const sign = createHmac('sha256', secret).update(`${now}\n${secret}`).digest('base64');
  return `${url}&timestamp=${now}&sign=${encodeURIComponent(sign)}`;
}
