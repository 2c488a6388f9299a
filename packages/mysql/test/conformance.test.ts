import { conformanceChecks, FakeHttpReceiver, type SinkConformanceCase } from '@keventer/testing';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { mysql } from '../src/index.js';

/**
 * The conformance checks that need no server: options refused by name,
 * every option described, no secret in describe(). The ones that write are
 * HTTP-shaped (a receiver's answers); services/conformance.services.ts runs
 * their MySQL counterparts against MariaDB.
 */
const OFFLINE = [
  'refuses an unknown option, naming it',
  'refuses invalid options with a clear error',
  "applies kube-eventer's level, namespaces and kinds options it declares",
  'describes every option it accepts',
];

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

describe('sink conformance: mysql (the checks that need no server)', () => {
  let receiver: FakeHttpReceiver;
  beforeEach(async () => {
    receiver = await FakeHttpReceiver.start();
  });
  afterEach(() => receiver.close());
  for (const check of conformanceChecks.filter((c) => OFFLINE.includes(c.name))) {
    it(check.name, () => check.run({ receiver, testCase }));
  }
  it('runs every offline check it names (a renamed check fails here)', ({ expect }) => {
    expect(conformanceChecks.filter((c) => OFFLINE.includes(c.name))).toHaveLength(OFFLINE.length);
  });
});
