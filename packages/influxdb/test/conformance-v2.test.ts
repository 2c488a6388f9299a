import { testSink } from '@keventer/testing/conformance';
import { influxdb } from '../src/index.js';

const TOKEN = 'Zq9-influx2-conformance-Tk77';

// The 2.x API (/api/v2/write with a token) under the same suite as 1.x's /write.
testSink({
  definition: influxdb,
  options: (url) => ({ endpoint: url, token: TOKEN, org: 'ops', bucket: 'k8s' }),
  invalidOptions: [
    { options: (url) => ({ endpoint: url, token: TOKEN, api: 'v3' }), error: /api/ },
    { options: (url) => ({ endpoint: url, token: TOKEN, api: 'v1' }), error: /'token' is for/ },
  ],
  answers: {
    ok: { status: 204 },
    retryable: { status: 503, body: '{"code":"unavailable","message":"service unavailable"}' },
    retryAfter: {
      answer: {
        status: 429,
        headers: { 'retry-after': '7' },
        body: '{"code":"too many requests","message":"rate limited"}',
      },
      retryAfterMs: 7000,
    },
    permanent: {
      status: 422,
      body: '{"code":"unprocessable entity","message":"failure writing points to database: partial write: field type conflict: input field \\"value\\" on measurement \\"log/events\\" is type string, already exists as type integer dropped=1"}',
    },
  },
  secrets: [TOKEN],
});
