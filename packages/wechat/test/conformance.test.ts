import { testSink } from '@keventer/testing/conformance';
import { wechat } from '../src/index.js';

const wecom = (errcode: number, errmsg: string) => ({
  status: 200,
  body: JSON.stringify({ errcode, errmsg }),
});
const rateLimited = wecom(45009, 'api freq out of limit');

// The group robot: one request per message, answered like WeCom.
testSink({
  definition: wechat,
  options: (url) => ({ endpoint: `${url}/cgi-bin/webhook/send?key=conformance-robot-key` }),
  invalidOptions: [
    {
      options: (url) => ({ endpoint: `${url}/cgi-bin/webhook/send`, msg_type: 'html' }),
      error: /msg_type/,
    },
    {
      options: (url) => ({ endpoint: `${url}/cgi-bin/webhook/send` }),
      error: /key is missing/,
    },
    {
      options: (url) => ({ endpoint: `${url}/send?key=k`, corp_id: 'ww1' }),
      error: /mixed/,
    },
  ],
  answers: {
    ok: wecom(0, 'ok'),
    retryable: rateLimited,
    retryAfter: { answer: rateLimited, retryAfterMs: 60_000 },
    permanent: wecom(93000, 'invalid webhook url'),
  },
  secrets: ['conformance-robot-key'],
});

// The application: the plain receiver answers gettoken and message/send alike, so
// its failure answers reach gettoken first; app.test.ts covers message/send's.
testSink({
  definition: wechat,
  options: (url) => ({
    corp_id: 'ww-conformance',
    corp_secret: 'conformance-corp-secret',
    agent_id: 1000002,
    api_base: url,
  }),
  invalidOptions: [
    {
      options: (url) => ({ corp_id: 'ww1', corp_secret: 's', api_base: url }),
      error: /missing: agent_id/,
    },
    {
      options: (url) => ({ corp_id: 'ww1', corp_secret: 's', agent_id: 'x', api_base: url }),
      error: /agent_id/,
    },
    { options: (url) => ({ corp_id: 'ww1', api_base: url, level: 'warning' }), error: /Warning/ },
  ],
  answers: {
    ok: {
      status: 200,
      body: '{"errcode":0,"errmsg":"ok","access_token":"conformance-token","expires_in":7200}',
    },
    retryable: rateLimited,
    retryAfter: { answer: rateLimited, retryAfterMs: 60_000 },
    permanent: wecom(40001, 'invalid credential'),
  },
  secrets: ['conformance-corp-secret', 'conformance-token'],
});
