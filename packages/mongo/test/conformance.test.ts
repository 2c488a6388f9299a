import type { SinkConformanceCase } from '@keventer/testing';
import { testSinkOptions } from '@keventer/testing/conformance';
import { mongo } from '../src/index.js';

/**
 * The conformance checks that need no server. The ones that write (and
 * answers.partial) are HTTP-shaped, a receiver's answers: sink.test.ts runs
 * their MongoDB counterparts against the wire-protocol fake.
 */

const testCase: SinkConformanceCase = {
  definition: mongo,
  options: () => ({ url: 'mongodb://keventer:Pw0rdSecret@127.0.0.1:1/' }),
  invalidOptions: [
    { options: () => ({ url: 'mongodb://h', write_concern: 'some' }), error: /write_concern/ },
    { options: () => ({ url: 'mongodb://h', collection: 'system.x' }), error: /collection/ },
    { options: () => ({ url: 'mongodb://h', timeout: 'soon' }), error: /timeout/ },
    { options: () => ({ database: 'k8s' }), error: /missing required option 'url'/ },
  ],
  secrets: ['Pw0rdSecret'],
};

testSinkOptions(testCase);
