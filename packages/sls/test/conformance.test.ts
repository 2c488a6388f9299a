import { testSink } from '@keventer/testing/conformance';
import { sls } from '../src/index.js';

const SECRET = 'sK3cr3tAccessKeySecret9';
const TOKEN = 'CAISstsTokenValue0123456789';
const slsError = (errorCode: string, errorMessage: string) =>
  JSON.stringify({ errorCode, errorMessage });

testSink({
  definition: sls,
  options: (url) => ({
    project: 'k8s-events',
    logStore: 'events',
    endpoint: url,
    accessKeyId: 'LTAI5tKeyId',
    accessKeySecret: SECRET,
    securityToken: TOKEN,
  }),
  invalidOptions: [
    { options: (url) => ({ logStore: 'events', endpoint: url }), error: /project/ },
    {
      options: (url) => ({ project: 'My_Project', logStore: 'events', endpoint: url }),
      error: /My_Project/,
    },
    {
      options: (url) => ({
        project: 'k8s',
        logStore: 'events',
        regionId: 'cn hangzhou',
        accessKeyId: 'a',
        accessKeySecret: 'b',
        endpoint: url,
      }),
      error: /regionId 'cn hangzhou'/,
    },
    {
      options: (url) => ({
        project: 'k8s',
        logStore: 'events',
        endpoint: url,
        accessKeyId: 'a',
        accessKeySecret: 'b',
        label: ['cluster'],
      }),
      error: /label 'cluster'/,
    },
    {
      options: (url) => ({
        project: 'k8s',
        logStore: 'events',
        endpoint: url,
        accessKeyId: 'a',
        accessKeySecret: 'b',
        compression: 'zstd',
      }),
      error: /zstd/,
    },
  ],
  answers: {
    ok: { status: 200, headers: { 'x-log-requestid': '6926A1B2C3D4E5F6A7B8C9D0' }, body: '' },
    retryable: {
      status: 403,
      body: slsError('WriteQuotaExceed', 'Write quota is exceeded.'),
    },
    permanent: {
      status: 401,
      body: slsError('SignatureNotMatch', 'Signature LTAI5tKeyId:abc not matched.'),
    },
  },
  secrets: [SECRET, TOKEN],
});
