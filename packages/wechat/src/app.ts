import { retryableError, sendJson } from '@keventer/core';
import { checkErrcode, readAnswer, TOKEN_ERRCODES, type WeComAnswer } from './answer.js';
import type { AppForm } from './form.js';
import type { Messenger, OutgoingMessage } from './messenger.js';
import { SINK_NAME } from './options.js';
import { AccessTokenCache, type IssuedToken } from './token.js';

// The token fetch is shared by every waiting write, so it has its own deadline.
const TOKEN_TIMEOUT_MS = 10_000;

/**
 * kube-eventer's WeCom application messages: `message/send` with a cached
 * access token. A token the service calls expired or invalid is fetched
 * again and the message resent once; a second refusal is an error, not a loop.
 */
export function createAppMessenger(form: AppForm): Messenger {
  const tokens = new AccessTokenCache(() => fetchToken(form));
  const post = async (token: string, message: OutgoingMessage, signal: AbortSignal) => {
    const url = new URL(`${form.apiBase}/cgi-bin/message/send`);
    url.searchParams.set('access_token', token);
    return readAnswer(
      'message/send',
      await sendJson(SINK_NAME, url, body(form, message), { signal }),
    );
  };
  return {
    async send(message, signal) {
      const token = await tokens.get(signal);
      let answer = await post(token, message, signal);
      if (isTokenRefusal(answer)) {
        tokens.invalidate(token);
        answer = await post(await tokens.get(signal), message, signal);
        if (isTokenRefusal(answer)) {
          throw retryableError(
            SINK_NAME,
            `message/send: WeCom refused a freshly fetched access token too (errcode ${answer.errcode})`,
          );
        }
      }
      checkErrcode('message/send', answer);
    },
  };
}

function body(form: AppForm, { msgtype, content }: OutgoingMessage) {
  return {
    touser: form.toUser,
    msgtype,
    agentid: form.agentId,
    [msgtype]: { content },
    safe: 0,
  };
}

function isTokenRefusal(answer: WeComAnswer): boolean {
  return TOKEN_ERRCODES.has(answer.errcode);
}

async function fetchToken(form: AppForm): Promise<IssuedToken> {
  const url = new URL(`${form.apiBase}/cgi-bin/gettoken`);
  url.searchParams.set('corpid', form.corpId);
  url.searchParams.set('corpsecret', form.corpSecret);
  // sendJson's rules for the GET too: a bounded answer, no redirect (the URL holds corpsecret).
  const answer = readAnswer(
    'gettoken',
    await sendJson(SINK_NAME, url, undefined, {
      method: 'GET',
      signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
    }),
  );
  checkErrcode('gettoken', answer);
  const { access_token: token, expires_in: expiresIn } = answer;
  if (typeof token !== 'string' || token === '' || typeof expiresIn !== 'number') {
    throw retryableError(SINK_NAME, 'gettoken: the answer has no access_token or expires_in');
  }
  return { token, expiresInMs: expiresIn * 1000 };
}
