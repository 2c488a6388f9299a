import type { SinkConformanceCase } from '@keventer/testing';
import { testSinkOptions } from '@keventer/testing/conformance';
import { kafka } from '../src/index.js';

/**
 * The conformance checks that need no broker. The ones that write are
 * HTTP-shaped (a receiver's answers); services/*.services.ts runs their Kafka
 * counterparts on librdkafka's mock cluster.
 */

const testCase: SinkConformanceCase = {
  definition: kafka,
  options: () => ({ brokers: ['127.0.0.1:1'], user: 'keventer', password: 'Pw0rdSecret' }),
  invalidOptions: [
    { options: () => ({ brokers: ['k:9092'], compression: 'zstd' }), error: /compression/ },
    { options: () => ({ brokers: ['k'] }), error: /brokers.*'k'.*host:port/ },
    { options: () => ({ brokers: ['k:9092'], eventstopic: 'a b' }), error: /eventstopic.*'a b'/ },
    { options: () => ({ brokers: ['k:9092'], format: 'json' }), error: /format/ },
    { options: () => ({ eventstopic: 'k8s' }), error: /missing required option 'brokers'/ },
  ],
  secrets: ['Pw0rdSecret'],
};

testSinkOptions(testCase);
