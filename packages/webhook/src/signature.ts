import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-keventer-signature';
export const TIMESTAMP_HEADER = 'x-keventer-timestamp';

/**
 * The signing headers of a body, as GitHub and Stripe do it: an HMAC-SHA256
 * over `<unix seconds>.<body>` with the shared secret, so a receiver can check
 * who sent the body and refuse an old request played again. A retry is signed
 * anew with its own timestamp.
 */
export function signatureHeaders(
  secret: string,
  body: string,
  now: number = Date.now(),
): Record<string, string> {
  const timestamp = String(Math.floor(now / 1000));
  const hex = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: `sha256=${hex}` };
}
