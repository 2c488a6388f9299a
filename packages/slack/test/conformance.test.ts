import { testSink } from '@keventer/testing/conformance';
import { slack } from '../src/index.js';

const SECRET = 'xQ7hookSecret0a1b2c3d4e';

testSink({
  definition: slack,
  options: (url) => ({ endpoint: `${url}/services/T0001/B0001/${SECRET}`, label: ['prod'] }),
  invalidOptions: [
    {
      options: (url) => ({
        endpoint: `${url}/services/T0001/B0001/${SECRET}`,
        msg_type: 'attachments',
      }),
      error: /msg_type.*text, blocks/,
    },
    {
      options: (url) => ({ endpoint: `${url}/services/T0001/B0001/${SECRET}`, level: 'warning' }),
      error: /did you mean 'Warning'/,
    },
    { options: () => ({ endpoint: 'ftp://hooks.slack.com/services/x' }), error: /endpoint/ },
    { options: () => ({ level: 'Warning' }), error: /missing required option 'endpoint'/ },
    {
      options: (url) => ({
        endpoint: `${url}/services/T0001/B0001/${SECRET}`,
        template: '{{ .Reason',
      }),
      error: /template.*never closed/,
    },
  ],
  answers: {
    ok: { status: 200, headers: { 'content-type': 'text/html' }, body: 'ok' },
    retryable: { status: 500, body: 'internal_error' },
    retryAfter: {
      answer: { status: 429, headers: { 'retry-after': '7' }, body: 'rate_limited' },
      retryAfterMs: 7000,
    },
    permanent: { status: 404, body: 'channel_not_found' },
  },
  secrets: [SECRET],
});
