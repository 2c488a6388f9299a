import { afterEach, beforeEach, describe, it } from 'vitest';
import { type ConformanceContext, conformanceChecks, type SinkConformanceCase } from './checks.js';
import { FakeHttpReceiver } from './receiver.js';

/**
 * The sink conformance suite as vitest tests: every sink package calls it with
 * its definition and how its service answers, and adds its own tests.
 *
 * ```ts
 * testSink({ definition: webhook, options: (url) => ({ endpoint: url }), secrets: ['s3cret'] });
 * ```
 */
export function testSink(testCase: SinkConformanceCase): void {
  describe(`sink conformance: ${testCase.definition.scheme}`, () => {
    let context: ConformanceContext;
    beforeEach(async () => {
      const ok = testCase.answers?.ok ?? { status: 200, body: '{}' };
      context = { receiver: await FakeHttpReceiver.start(ok), testCase };
    });
    afterEach(() => context.receiver.close());
    for (const check of conformanceChecks) it(check.name, () => check.run(context));
  });
}
