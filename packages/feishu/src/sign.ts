import { createHmac } from 'node:crypto';

/**
 * Feishu's bot signature: base64(HMAC-SHA256 keyed with `${seconds}\n${secret}`
 * over an empty message); unlike DingTalk's, the signed string is the key.
 */
export function feishuSign(timestampSeconds: number, secret: string): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

/** The `timestamp` and `sign` fields of the JSON body, beside `msg_type`. */
export function signatureFields(secret: string, nowMs: number) {
  const seconds = Math.floor(nowMs / 1000);
  return { timestamp: String(seconds), sign: feishuSign(seconds, secret) };
}
