import * as kit from '@keventer/core/kit';
import { callWeCom, checkErrcode, TOKEN_ERRCODES, type WeComAnswer } from './answer.js';
import type { AppForm, RobotForm } from './form.js';
import { SINK_NAME } from './options.js';
import type { OutgoingMessage, Send } from './render.js';

// The token fetch is shared by every waiting write, so it has its own deadline.
const TOKEN_TIMEOUT_MS = 10_000;

/** kube-eventer's application messages: `message/send` with the cached access token. */
export function appSender(form: AppForm): Send {
  const tokens = new kit.AccessTokenCache(SINK_NAME, () => fetchToken(form));
  const post = (token: string, { msgtype, content }: OutgoingMessage, signal: AbortSignal) => {
    const url = new URL(`${form.apiBase}/cgi-bin/message/send`);
    url.searchParams.set('access_token', token);
    const { toUser: touser, agentId: agentid } = form;
    const body = { touser, msgtype, agentid, [msgtype]: { content }, safe: 0 };
    return callWeCom('message/send', url, body, { signal });
  };
  const refused = (answer: WeComAnswer) => TOKEN_ERRCODES.has(answer.code);
  return async (message, signal) => {
    const answer = await tokens.call(signal, (token) => post(token, message, signal), refused);
    if (refused(answer)) {
      const what = `message/send: WeCom refused a freshly fetched access token too (errcode ${answer.code})`;
      throw kit.retryableError(SINK_NAME, what);
    }
    checkErrcode('message/send', answer);
  };
}

/** Posts to a group robot's webhook; mentions go with text messages only. */
export function robotSender(form: RobotForm): Send {
  return async ({ msgtype, content }, signal) => {
    const section = msgtype === 'text' ? { content, ...form.mentions } : { content };
    const body = { msgtype, [msgtype]: section };
    checkErrcode('webhook/send', await callWeCom('webhook/send', form.url, body, { signal }));
  };
}

async function fetchToken(form: AppForm): Promise<kit.IssuedToken> {
  const query = new URLSearchParams({ corpid: form.corpId, corpsecret: form.corpSecret });
  const url = new URL(`${form.apiBase}/cgi-bin/gettoken?${query}`);
  // A GET with sendJson's rules: a bounded answer, no redirect (the URL holds corpsecret).
  const signal = AbortSignal.timeout(TOKEN_TIMEOUT_MS);
  const answer = await callWeCom('gettoken', url, undefined, { method: 'GET', signal });
  checkErrcode('gettoken', answer);
  const { access_token: token, expires_in: expiresIn } = answer.json ?? {};
  if (typeof token !== 'string' || token === '' || typeof expiresIn !== 'number') {
    throw kit.retryableError(SINK_NAME, 'gettoken: the answer has no access_token or expires_in');
  }
  return { token, expiresInMs: expiresIn * 1000 };
}
