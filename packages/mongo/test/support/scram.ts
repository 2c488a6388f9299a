import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The server's side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as MongoDB runs it
 * in saslStart/saslContinue, computed here from the user's password, not from
 * the driver's code: a wrong password or a wrongly computed proof fails.
 */
export const SCRAM_ITERATIONS = 15_000; // MongoDB's default for SCRAM-SHA-256

const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();

/** One conversation: `first` answers saslStart's payload, `final` saslContinue's. */
export class ScramConversation {
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';
  private readonly salt = randomBytes(28);

  constructor(private readonly passwords: ReadonlyMap<string, string>) {}

  /** The user named in the client's first message (`n,,n=<user>,r=<nonce>`), and the server's first. */
  first(payload: string): { user: string; reply: string } | { error: string } {
    const match = /^n,,(n=([^,]*),r=([A-Za-z0-9+/=]+))$/.exec(payload);
    if (!match) return { error: 'malformed client-first-message' };
    const [, bare = '', name = '', clientNonce = ''] = match;
    this.clientFirstBare = bare;
    this.nonce = clientNonce + randomBytes(24).toString('base64');
    this.serverFirst = `r=${this.nonce},s=${this.salt.toString('base64')},i=${SCRAM_ITERATIONS}`;
    return { user: name.replaceAll('=2C', ',').replaceAll('=3D', '='), reply: this.serverFirst };
  }

  /** The server's signature (`v=...`) when the client's proof holds for `user`'s password. */
  final(user: string, payload: string): { reply: string } | { error: string } {
    const match = /^(c=biws,r=([^,]+)),p=([A-Za-z0-9+/=]+)$/.exec(payload);
    if (!match) return { error: 'malformed client-final-message' };
    const [, withoutProof = '', nonce, proof = ''] = match;
    const password = this.passwords.get(user);
    if (nonce !== this.nonce || password === undefined) return { error: 'authentication failed' };
    const salted = pbkdf2Sync(
      password.normalize('NFKC'),
      this.salt,
      SCRAM_ITERATIONS,
      32,
      'sha256',
    );
    const clientKey = hmac(salted, 'Client Key');
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const signature = hmac(sha256(clientKey), authMessage);
    const given = Buffer.from(proof, 'base64');
    const expected = Buffer.from(clientKey.map((byte, i) => byte ^ (signature[i] ?? 0)));
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return { error: 'authentication failed' };
    const serverSignature = hmac(hmac(salted, 'Server Key'), authMessage);
    return { reply: `v=${serverSignature.toString('base64')}` };
  }
}
