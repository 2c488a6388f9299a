import type { SinkConformanceCase } from '@keventer/testing';
import { testSinkOptions } from '@keventer/testing/conformance';
import { mysql } from '../src/index.js';

/**
 * The conformance checks that need no server: options refused by name,
 * every option described, no secret in describe(). The ones that write are
 * HTTP-shaped (a receiver's answers); services/conformance.services.ts runs
 * their MySQL counterparts against MariaDB.
 */

const testCase: SinkConformanceCase = {
  definition: mysql,
  options: () => ({ dsn: 'keventer:Pw0rdSecret@tcp(127.0.0.1:1)/k8s' }),
  invalidOptions: [
    {
      options: () => ({ dsn: 'u:p@tcp(h)/k8s', layout: 'flat' }),
      error: /layout.*kube-eventer, keventer/,
    },
    {
      options: () => ({ dsn: 'u:p@tcp(h)/k8s', table: 'x;drop' }),
      error: /table.*not a table name/,
    },
    { options: () => ({ dsn: 'u:p@tcp(h)/k8s', timeout: 'soon' }), error: /timeout/ },
    { options: () => ({ table: 'kube_event' }), error: /missing required option 'dsn'/ },
  ],
  secrets: ['Pw0rdSecret'],
};

testSinkOptions(testCase);
