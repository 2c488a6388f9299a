import { testSink } from '@keventer/testing/conformance';
import { webhook } from '../src/index.js';

testSink({
  definition: webhook,
  options: (url) => ({
    endpoint: `${url}/hook?token=receiver-token-1`,
    header: ['Authorization=Bearer s3cret-header-token'],
    signing_secret: 'signing-s3cret',
  }),
  invalidOptions: [
    { options: (url) => ({ endpoint: url, method: 'post' }), error: /did you mean 'POST'/ },
    { options: (url) => ({ endpoint: url, level: 'warning' }), error: /'level'/ },
    { options: (url) => ({ endpoint: url, body_format: 'xml' }), error: /body_format/ },
    { options: () => ({ endpoint: 'ftp://h/x' }), error: /endpoint/ },
    { options: (url) => ({ endpoint: url, header: ['no-value'] }), error: /Name=Value/ },
    { options: (url) => ({ endpoint: url, reason: ['(unclosed'] }), error: /reason/ },
    { options: (url) => ({ endpoint: url, template: '{"m":{{ .Message }}}' }), error: /JSON/ },
    {
      options: (url) => ({ endpoint: url, template: '{}', custom_body_configmap: 'body' }),
      error: /not both/,
    },
  ],
  secrets: ['s3cret-header-token', 'signing-s3cret', 'receiver-token-1'],
});
