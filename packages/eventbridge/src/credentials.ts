import * as kit from '@keventer/core/kit';
import { readEcsMetadata } from './ecs-metadata.js';
import type { AccessKey } from './sign.js';

/** Where each request's AccessKey comes from. */
export interface Credentials {
  get(signal: AbortSignal): Promise<AccessKey>;
  /** Called when the service refused `key` as expired or invalid; false when nothing can be renewed. */
  refused(key: AccessKey): boolean;
}

/** The AccessKey of the options: used as it is. */
export function fixedCredentials(key: AccessKey): Credentials {
  return { get: () => Promise.resolve(key), refused: () => false };
}

const ROLES = '/latest/meta-data/ram/security-credentials/';
const HINT = 'give accessKeyId and accessKeySecret, or attach a RAM role to the node';

/**
 * The STS credentials of the node's RAM role from the ECS metadata, as
 * kube-eventer read them when it was given no AccessKey: the role's name
 * (the first line of `ram/security-credentials/`), then its credentials,
 * kept until shortly before their Expiration and shared by all writes.
 */
export function ramRoleCredentials(sink: string, metadataEndpoint: string): Credentials {
  const read = (path: string, signal: AbortSignal) =>
    readEcsMetadata(sink, metadataEndpoint, path, HINT, signal);
  const cache = new kit.AccessTokenCache(sink, async () => {
    const signal = AbortSignal.timeout(10_000);
    const role = (await read(ROLES, signal)).split('\n')[0]?.trim() ?? '';
    const answer = await read(`${ROLES}${encodeURIComponent(role)}`, signal);
    const issued = parseRoleCredentials(answer);
    if (!issued)
      throw kit.retryableError(
        sink,
        `the ECS metadata gave no credentials for the RAM role ${role}: ${HINT}`,
      );
    const { expiration, ...key } = issued;
    // The cache keeps strings: the key travels as JSON, never shown.
    return { token: JSON.stringify(key), expiresInMs: Math.max(0, expiration - Date.now()) };
  });
  return {
    get: async (signal) => JSON.parse(await cache.get(signal)) as AccessKey,
    refused(key) {
      cache.invalidate(JSON.stringify(key));
      return true;
    },
  };
}

function parseRoleCredentials(text: string): (AccessKey & { expiration: number }) | undefined {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const [id, secret, token] = [body.AccessKeyId, body.AccessKeySecret, body.SecurityToken];
    const expiration = Date.parse(String(body.Expiration));
    if (typeof id !== 'string' || typeof secret !== 'string' || typeof token !== 'string')
      return undefined;
    if (!id || !secret || Number.isNaN(expiration)) return undefined;
    return { accessKeyId: id, accessKeySecret: secret, securityToken: token, expiration };
  } catch {
    return undefined;
  }
}
