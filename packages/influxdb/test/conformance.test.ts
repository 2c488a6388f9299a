import { testSink } from '@keventer/testing/conformance';
import { influxdb } from '../src/index.js';

const PW = 'xQ7influxPw0a1b2c3';

testSink({
  definition: influxdb,
  options: (url) => ({ endpoint: url, user: 'writer', pw: PW }),
  invalidOptions: [
    { options: (url) => ({ endpoint: url, withfields: 'maybe' }), error: /withfields/ },
    { options: (url) => ({ endpoint: url, precision: 'h' }), error: /precision/ },
    { options: (url) => ({ endpoint: `ftp://${url.slice(7)}` }), error: /endpoint/ },
  ],
  answers: {
    ok: { status: 204 },
    retryable: { status: 503, body: '{"error":"service unavailable"}' },
    permanent: {
      status: 400,
      body: '{"error":"partial write: field type conflict: input field \\"value\\" on measurement \\"log/events\\" is type integer, already exists as type string dropped=1"}',
    },
  },
  secrets: [PW],
});
