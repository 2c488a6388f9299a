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
  runChecks(`sink conformance: ${testCase.definition.scheme}`, testCase, conformanceChecks);
}

/**
 * The checks that need no service: options refused by name, kube-eventer's
 * filter options, every option described. For sinks that speak no HTTP (a
 * database driver), whose write checks live in their own tests against their
 * server; the HTTP-shaped write checks of {@link testSink} do not apply.
 */
export const OFFLINE_CHECKS: readonly string[] = [
  'refuses an unknown option, naming it',
  'refuses invalid options with a clear error',
  "applies kube-eventer's level, namespaces and kinds options it declares",
  'describes every option it accepts',
];

/** {@link testSink} without a service: only the {@link OFFLINE_CHECKS}. */
export function testSinkOptions(testCase: SinkConformanceCase): void {
  const checks = conformanceChecks.filter((check) => OFFLINE_CHECKS.includes(check.name));
  if (checks.length !== OFFLINE_CHECKS.length) {
    throw new Error('testSinkOptions: a check of OFFLINE_CHECKS was renamed or removed');
  }
  runChecks(`sink conformance: ${testCase.definition.scheme} (no service)`, testCase, checks);
}

function runChecks(
  title: string,
  testCase: SinkConformanceCase,
  checks: readonly (typeof conformanceChecks)[number][],
): void {
  describe(title, () => {
    let context: ConformanceContext;
    beforeEach(async () => {
      const ok = testCase.answers?.ok ?? { status: 200, body: '{}' };
      context = { receiver: await FakeHttpReceiver.start(ok), testCase };
    });
    afterEach(() => context.receiver.close());
    for (const check of checks) it(check.name, () => check.run(context));
  });
}
