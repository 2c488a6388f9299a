import { testSink } from '@keventer/testing/conformance';
import { dingtalk } from '../src/index.js';

const TOKEN = 'conformance-token-7f3a9c';
const SECRET = 'SECconformance0secret0b41d';
const answer = (errcode: number, errmsg: string) => ({
  status: 200,
  body: JSON.stringify({ errcode, errmsg }),
});

testSink({
  definition: dingtalk,
  options: (url) => ({ endpoint: url, access_token: TOKEN, sign: SECRET, label: ['prod'] }),
  invalidOptions: [
    { options: (url) => ({ endpoint: url }), error: /missing required option 'access_token'/ },
    {
      options: (url) => ({ endpoint: url, access_token: 'x', level: 'warning' }),
      error: /Warning/,
    },
    {
      options: (url) => ({ endpoint: url, access_token: 'x', msg_type: 'card' }),
      error: /msg_type/,
    },
    { options: () => ({ endpoint: 'ftp://x/robot/send', access_token: 'x' }), error: /endpoint/ },
    {
      options: (url) => ({ endpoint: `${url}?access_token=x`, access_token: 'x' }),
      error: /without its query/,
    },
    {
      options: (url) => ({ endpoint: url, access_token: 'x', template: '{{ .Reason | upper }}' }),
      error: /template/,
    },
  ],
  answers: {
    ok: answer(0, 'ok'),
    retryable: answer(130101, 'send too fast, exceed 20 times per minute'),
    retryAfter: {
      answer: answer(130101, 'send too fast, exceed 20 times per minute'),
      retryAfterMs: 60_000,
    },
    permanent: answer(
      310000,
      'keywords not in content, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]',
    ),
  },
  secrets: [TOKEN, SECRET],
});
