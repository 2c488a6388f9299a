import {
  AccessTokenCache,
  type IssuedToken,
  permanentError,
  retryableError,
} from '@keventer/core/kit';
import { describe, expect, it } from 'vitest';

const signal = () => new AbortController().signal;

describe('AccessTokenCache', () => {
  it('remembers a refused secret for a minute, then asks again', async () => {
    let clock = 0;
    const answers: Array<() => Promise<IssuedToken>> = [
      () => Promise.reject(permanentError('wechat', 'gettoken: WeCom errcode 40001')),
      () => Promise.resolve({ token: 't1', expiresInMs: 7_200_000 }),
    ];
    let fetches = 0;
    const cache = new AccessTokenCache(
      'wechat',
      () => (answers[fetches++] as () => Promise<IssuedToken>)(),
      () => clock,
    );
    await expect(cache.get(signal())).rejects.toThrow(/40001/);
    clock = 59_000;
    await expect(cache.get(signal())).rejects.toThrow(/40001/);
    expect(fetches).toBe(1);
    clock = 60_000;
    await expect(cache.get(signal())).resolves.toBe('t1');
    expect(fetches).toBe(2);
  });

  it('does not remember a failure a retry can fix', async () => {
    let fetches = 0;
    const cache = new AccessTokenCache('wechat', async () => {
      if (++fetches === 1) throw retryableError('wechat', 'gettoken: HTTP 503');
      return { token: 't1', expiresInMs: 7_200_000 };
    });
    await expect(cache.get(signal())).rejects.toThrow(/503/);
    await expect(cache.get(signal())).resolves.toBe('t1');
  });

  it('call: a refused token is dropped and the call made once more with a fresh one, no more', async () => {
    let issued = 0;
    const cache = new AccessTokenCache('wechat', async () => ({
      token: `t${++issued}`,
      expiresInMs: 7_200_000,
    }));
    const calls: string[] = [];
    const refusing = (token: string) => Promise.resolve(calls.push(token) && 'refused');
    const result = await cache.call(signal(), refusing, (r) => r === 'refused');
    expect([result, calls]).toEqual(['refused', ['t1', 't2']]);
    const fine = await cache.call(
      signal(),
      async (token) => token,
      () => false,
    );
    expect([fine, issued]).toEqual(['t2', 2]);
  });
});
