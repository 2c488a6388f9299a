import { testSink } from '@keventer/testing/conformance';
import { feishu } from '../src/index.js';

const TOKEN = '3f2b9c1e-hook-token-a7d4';
const SECRET = 'signing-secret-Qw3rty';

testSink({
  definition: feishu,
  options: (url) => ({
    endpoint: `${url}/open-apis/bot/v2/hook/${TOKEN}`,
    sign: SECRET,
    label: ['k8s'],
  }),
  invalidOptions: [
    {
      options: (url) => ({ endpoint: `${url}/open-apis/bot/v2/hook/${TOKEN}`, msg_type: 'card' }),
      error: /msg_type.*text, post, interactive/,
    },
    {
      options: (url) => ({ endpoint: `${url}/open-apis/bot/v2/hook/${TOKEN}`, level: 'warning' }),
      error: /did you mean 'Warning'/,
    },
    { options: () => ({ endpoint: 'ftp://example.com/hook/x' }), error: /endpoint/ },
    { options: () => ({ sign: SECRET }), error: /missing required option 'endpoint'/ },
    {
      options: (url) => ({
        endpoint: `${url}/open-apis/bot/v2/hook/${TOKEN}`,
        template: '{{ .Reason | upper }}',
      }),
      error: /template/,
    },
  ],
  answers: {
    ok: {
      status: 200,
      body: '{"StatusCode":0,"StatusMessage":"success","code":0,"data":{},"msg":"success"}',
    },
    retryable: {
      status: 200,
      body: '{"code":11232,"data":{},"msg":"frequency limited psm[lark.oapi.app_platform_runtime]appID[1]"}',
    },
    retryAfter: {
      answer: {
        status: 429,
        headers: { 'x-ogw-ratelimit-reset': '7' },
        body: '{"code":99991400,"msg":"request trigger frequency limit"}',
      },
      retryAfterMs: 7000,
    },
    permanent: { status: 200, body: '{"code":19024,"data":{},"msg":"Key Words Not Found"}' },
  },
  secrets: [TOKEN, SECRET],
});
