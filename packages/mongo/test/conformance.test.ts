import { conformanceChecks, FakeHttpReceiver, type SinkConformanceCase } from '@keventer/testing';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { mongo } from '../src/index.js';

/**
 * The conformance checks that need no server. The ones that write (and
 * answers.partial) are HTTP-shaped, a receiver's answers: sink.test.ts runs
 * their MongoDB counterparts against the wire-protocol fake.
 */
const OFFLINE = [
  'refuses an unknown option, naming it',
  'refuses invalid options with a clear error',
  "applies kube-eventer's level, namespaces and kinds options it declares",
  'describes every option it accepts',
];

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

describe('sink conformance: mongo (the checks that need no server)', () => {
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
