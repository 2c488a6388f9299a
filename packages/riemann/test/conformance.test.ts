import type { SinkConformanceCase } from '@keventer/testing';
import { testSinkOptions } from '@keventer/testing/conformance';
import { riemann } from '../src/index.js';

/**
 * The conformance checks that need no server; the write checks are HTTP-shaped,
 * so sink.test.ts runs their Riemann counterparts against the TCP fake.
 */
const testCase: SinkConformanceCase = {
  definition: riemann,
  options: () => ({ endpoint: '127.0.0.1:1' }),
  invalidOptions: [
    { options: () => ({ endpoint: 'http://h:99999' }), error: /h:99999/ },
    { options: () => ({ endpoint: 'h:5555/path' }), error: /h:5555\/path/ },
    { options: () => ({ endpoint: 'h:5555', batchsize: 0 }), error: /batchsize/ },
    { options: () => ({ endpoint: 'h:5555', ttl: -1 }), error: /ttl/ },
    { options: () => ({ endpoint: 'h:5555', cert: '/tmp/c.pem' }), error: /cert and key/ },
    {
      options: () => ({ endpoint: 'h:5555', cacert: '/no/such/ca.pem' }),
      error: /cacert '\/no\/such\/ca.pem' cannot be read/,
    },
    { options: () => ({ endpoint: 'h:5555', insecure: true }), error: /insecure=true needs TLS/ },
  ],
};

testSinkOptions(testCase);
