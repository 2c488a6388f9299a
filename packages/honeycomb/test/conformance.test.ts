import { testSink } from '@keventer/testing/conformance';
import { honeycomb } from '../src/index.js';

const KEY = 'hcaik_conf0rmanceKey77';
const ok = (count: number) =>
  JSON.stringify(Array.from({ length: count }, () => ({ status: 202 })));

testSink({
  definition: honeycomb,
  options: (url) => ({ apihost: url, dataset: 'k8s', writekey: KEY }),
  invalidOptions: [
    { options: (url) => ({ apihost: url, dataset: 'a/b', writekey: KEY }), error: /a\/b/ },
    { options: (url) => ({ apihost: url, dataset: '', writekey: KEY }), error: /dataset is empty/ },
    { options: (url) => ({ apihost: url, writekey: '' }), error: /writekey.*must not be empty/ },
    { options: () => ({ apihost: 'ftp://h/', writekey: KEY }), error: /apihost/ },
  ],
  answers: {
    // The suite writes batches of 1, 2, 4 and 10 events against one canned answer.
    ok: { status: 200, body: ok(10) },
    retryable: { status: 503, body: '{"error":"service unavailable"}' },
    retryAfter: {
      answer: {
        status: 429,
        headers: { 'retry-after': '7' },
        body: '{"error":"Dropped due to rate limiting"}',
      },
      retryAfterMs: 7000,
    },
    permanent: { status: 401, body: '{"error":"unknown API key - check your credentials"}' },
    partial: {
      answer: {
        status: 200,
        body: JSON.stringify([
          { status: 202 },
          { status: 429, error: 'event dropped due to rate limiting' },
          { status: 202 },
          { status: 400, error: 'Event has too many columns.' },
        ]),
      },
      failed: [
        { index: 1, retryable: true },
        { index: 3, retryable: false },
      ],
    },
  },
  secrets: [KEY],
});
