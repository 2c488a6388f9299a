import { testSink } from '@keventer/testing/conformance';
import { eventbridge } from '../src/index.js';

const SECRET = 'kQ9ebSecret7f6e5d4c3b2a';
const TOKEN = 'CAIS.sts.tok3n.zz91';
const answer = (entries: Array<Record<string, string>>) => ({
  status: 200,
  body: JSON.stringify({
    RequestId: '5E9AB1DF333245F1D800',
    ResourceOwnerAccountId: '1234567890123456',
    FailedEntryCount: entries.filter((e) => e.ErrorCode).length,
    EntryList: entries,
  }),
});
const accepted = (n: number) => ({ EventId: `e-${n}`, TraceId: `t${n}` });
const refused = (n: number, ErrorCode: string, ErrorMessage: string) => ({
  ...accepted(n),
  ErrorCode,
  ErrorMessage,
});
const options = (url: string) => ({
  endpoint: url,
  clusterId: 'c0ffee',
  regionId: 'cn-hangzhou',
  accountId: '1234567890123456',
  accessKeyId: 'LTAI5tTestKeyId',
  accessKeySecret: SECRET,
  securityToken: TOKEN,
});

testSink({
  definition: eventbridge,
  options,
  invalidOptions: [
    { options: (url) => ({ ...options(url), regionId: 'Hangzhou 1' }), error: /Hangzhou 1/ },
    { options: (url) => ({ ...options(url), accountId: 'acct-1' }), error: /acct-1/ },
    { options: (url) => ({ ...options(url), eventBusName: 'my_bus!' }), error: /my_bus!/ },
    { options: (url) => ({ ...options(url), endpoint: 'ftp://x' }), error: /endpoint/ },
    { options: (url) => ({ ...options(url), endpoint: `${url}/?x=1` }), error: /endpoint.*query/ },
    {
      options: (url) => {
        const { accessKeySecret: _, ...rest } = options(url);
        return rest;
      },
      error: /accessKeySecret/,
    },
  ],
  answers: {
    ok: answer([1, 2, 3, 4].map(accepted)),
    retryable: {
      status: 503,
      body: '{"code":"ServiceUnavailable","message":"The service is unavailable.","requestId":"A1"}',
    },
    permanent: {
      status: 403,
      body: '{"code":"SignatureDoesNotMatch","message":"The request signature we calculated does not match the signature you provided.","requestId":"A2"}',
    },
    partial: {
      answer: answer([
        accepted(0),
        refused(1, 'Throttling.User', 'Request was denied due to user flow control.'),
        accepted(2),
        refused(3, 'InvalidArgument', 'The attribute subject is too long.'),
      ]),
      failed: [
        { index: 1, retryable: true },
        { index: 3, retryable: false },
      ],
    },
  },
  secrets: [SECRET, TOKEN],
});
