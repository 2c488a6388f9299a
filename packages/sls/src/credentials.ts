import { createDecipheriv } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as kit from '@keventer/core/kit';
import type { SlsCredentials } from './sign.js';

/** Where each request's AccessKey comes from. */
export interface Credentials {
  get(signal: AbortSignal): Promise<SlsCredentials>;
}

/** The AccessKey of the options: used as it is. */
export function fixedCredentials(key: SlsCredentials): Credentials {
  return { get: () => Promise.resolve(key) };
}

/** Where ACK mounts the log addon's token (kube-eventer's deployment for managed clusters). */
export const ADDON_TOKEN_CONFIG = '/var/addon/token-config';

/**
 * The STS credentials ACK writes for the log addon, as kube-eventer reads them
 * when it is given no AccessKey: a JSON file whose `access.key.id`,
 * `access.key.secret` and `security.token` are each base64(IV + AES-CBC) with
 * the file's `keyring` as the key. ACK rotates the file; it is read again
 * shortly before its `expiration`, once for all writes.
 */
export function addonTokenCredentials(sink: string, path: string): Credentials {
  const cache = new kit.AccessTokenCache(sink, async () => {
    const { key, expiresAt } = await readAddonToken(sink, path);
    const expiresInMs = expiresAt - Date.now();
    if (expiresInMs <= 0)
      // ACK renews it: a later attempt reads the new one.
      throw kit.retryableError(
        sink,
        `the addon token in ${path} expired at ${new Date(expiresAt).toISOString()} and was not renewed yet`,
      );
    // The cache keeps strings: the key travels as JSON, never shown.
    return { token: JSON.stringify(key), expiresInMs };
  });
  return { get: async (signal) => JSON.parse(await cache.get(signal)) as SlsCredentials };
}

async function readAddonToken(
  sink: string,
  path: string,
): Promise<{ key: SlsCredentials; expiresAt: number }> {
  const unusable = (why: string) =>
    kit.permanentError(
      sink,
      `the addon token in ${path} is unusable (${why}): give accessKeyId and accessKeySecret instead`,
    );
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw unusable(error instanceof SyntaxError ? 'not JSON' : (error as Error).message);
  }
  const keyring = config.keyring;
  const expiresAt = Date.parse(String(config.expiration));
  if (typeof keyring !== 'string' || Number.isNaN(expiresAt))
    throw unusable('no keyring or expiration');
  const open = (field: string) => {
    const sealed = config[field];
    if (typeof sealed !== 'string') throw unusable(`no ${field}`);
    try {
      return decrypt(sealed, keyring);
    } catch {
      throw unusable(`${field} does not decrypt with its keyring`);
    }
  };
  const key = {
    accessKeyId: open('access.key.id'),
    accessKeySecret: open('access.key.secret'),
    securityToken: open('security.token'),
  };
  return { key, expiresAt };
}

/** base64(IV + ciphertext), AES-CBC with PKCS#7 padding, the keyring's bytes as the key (16, 24 or 32). */
function decrypt(sealed: string, keyring: string): string {
  const data = Buffer.from(sealed, 'base64');
  const key = Buffer.from(keyring, 'utf8');
  const decipher = createDecipheriv(`aes-${key.length * 8}-cbc`, key, data.subarray(0, 16));
  return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]).toString('utf8');
}
