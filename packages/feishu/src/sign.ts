import { createHmac } from 'node:crypto';

/**
 * Feishu's custom bot signature: HMAC-SHA256 keyed with
 * `timestamp + "\n" + secret` over an empty message, base64. Unlike
 * DingTalk, the string to sign is the key, and the timestamp is in seconds.
 */
export function feishuSign(timestampSeconds: number, secret: string): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

/** The `timestamp` and `sign` fields that go into the JSON body beside `msg_type`. */
export function signatureFields(
  secret: string,
  nowMs: number,
): { timestamp: string; sign: string } {
  const seconds = Math.floor(nowMs / 1000);
  return { timestamp: String(seconds), sign: feishuSign(seconds, secret) };
}
