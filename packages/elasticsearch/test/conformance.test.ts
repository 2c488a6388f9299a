import { testSink } from '@keventer/testing/conformance';
import { elasticsearch } from '../src/index.js';

const SECRET = 'xQ7esSecret0a1b2c3';
const item = (status: number, error?: { type: string; reason: string }) => ({
  create: error ? { status, error } : { status },
});

testSink({
  definition: elasticsearch,
  options: (url) => ({ endpoint: url, esUserName: 'writer', esUserSecret: SECRET }),
  invalidOptions: [
    { options: (url) => ({ endpoint: url, ver: '4' }), error: /ver/ },
    { options: (url) => ({ endpoint: url, index: 'Kube Events' }), error: /Kube Events/ },
    { options: () => ({}), error: /no server/ },
    { options: (url) => ({ endpoint: url, sigv4: true }), error: /sigv4/ },
    { options: (url) => ({ endpoint: url, esUserName: 'writer' }), error: /esUserSecret/ },
  ],
  answers: {
    ok: {
      status: 200,
      body: JSON.stringify({ errors: false, items: [1, 2, 3, 4].map(() => item(201)) }),
    },
    retryable: {
      status: 503,
      body: '{"error":{"type":"unavailable_shards_exception","reason":"primary shard is not active"},"status":503}',
    },
    permanent: {
      status: 401,
      body: '{"error":{"type":"security_exception","reason":"unable to authenticate user [writer]"},"status":401}',
    },
    partial: {
      answer: {
        status: 200,
        body: JSON.stringify({
          errors: true,
          items: [
            item(201),
            item(429, {
              type: 'es_rejected_execution_exception',
              reason: 'rejected execution of coordinating operation',
            }),
            item(409, {
              type: 'version_conflict_engine_exception',
              reason: 'document already exists',
            }),
            item(400, {
              type: 'mapper_parsing_exception',
              reason: 'failed to parse field [Count] of type [long]',
            }),
          ],
        }),
      },
      failed: [
        { index: 1, retryable: true },
        { index: 3, retryable: false },
      ],
    },
  },
  secrets: [SECRET],
});
