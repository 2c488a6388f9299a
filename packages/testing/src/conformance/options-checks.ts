import assert from 'node:assert/strict';
import { type KubeEvent, normalizeEvent, type Sink } from '@keventer/core';
import { buildEvent } from '../builders.js';
import type { ConformanceCheck, ConformanceContext, SinkConformanceCase } from './checks.js';

/** An event for the filter checks: a Pod in `shop` unless told otherwise. */
function event(type: string, kind = 'Pod', namespace = 'shop'): KubeEvent {
  const involvedObject = { kind, namespace, name: 'web-1' };
  return normalizeEvent(buildEvent({ type, reason: 'BackOff', involvedObject }));
}

function create(testCase: SinkConformanceCase, options: Record<string, unknown>): Promise<Sink> {
  const factory = testCase.definition as unknown as (o: Record<string, unknown>) => Promise<Sink>;
  return factory(options);
}

const passes = (sink: Sink, e: KubeEvent) => sink.filter === undefined || sink.filter(e);

/** The values given for options the schema declares secret (each string of a list). */
export function givenSecrets(testCase: SinkConformanceCase, receiverUrl: string): string[] {
  const options = testCase.options(receiverUrl);
  const values = Object.entries(testCase.definition.options)
    .filter(([name, option]) => option.secret && options[name] !== undefined)
    .flatMap(([name]) => [options[name]].flat().map(String));
  return [...values, ...(testCase.secrets ?? [])].filter((value) => value.length >= 4);
}

/** Checks of the options a sink declares: kube-eventer's filters, secrets, descriptions. */
export const optionChecks: readonly ConformanceCheck[] = [
  {
    name: "applies kube-eventer's level, namespaces and kinds options it declares",
    async run({ receiver, testCase }: ConformanceContext) {
      const schema = testCase.definition.options;
      const base = testCase.options(receiver.url);
      const sink = (extra: Record<string, unknown>) => create(testCase, { ...base, ...extra });
      if ('level' in schema) {
        const warnings = await sink({ level: 'Warning' });
        assert.ok(!passes(warnings, event('Normal')), 'level=Warning let a Normal event through');
        assert.ok(passes(warnings, event('Warning')), 'level=Warning dropped a Warning event');
        const normal = await sink({ level: 'Normal' });
        assert.ok(passes(normal, event('Normal')), 'level=Normal dropped a Normal event');
      }
      if ('namespaces' in schema) {
        const elsewhere = await sink({ level: 'Normal', namespaces: ['elsewhere'] });
        assert.ok(!passes(elsewhere, event('Warning')), "namespaces=elsewhere let 'shop' through");
        const shop = await sink({ level: 'Normal', namespaces: ['shop'] });
        assert.ok(passes(shop, event('Warning')), "namespaces=shop dropped an event in 'shop'");
      }
      if ('kinds' in schema) {
        const nodes = await sink({ level: 'Normal', kinds: ['Node'] });
        assert.ok(!passes(nodes, event('Warning')), 'kinds=Node let a Pod event through');
        assert.ok(passes(nodes, event('Warning', 'Node', '')), 'kinds=Node dropped a Node event');
      }
    },
  },
  {
    name: 'shows no secret option in what it sends, its description or its errors',
    async run({ receiver, testCase }: ConformanceContext) {
      const secrets = givenSecrets(testCase, receiver.url);
      const sink = await create(testCase, testCase.options(receiver.url));
      await sink.write([event('Warning')], { signal: AbortSignal.timeout(10_000) });
      receiver.defaultAnswer = 'echo';
      const error = await sink
        .write([event('Warning')], { signal: AbortSignal.timeout(10_000) })
        .then(
          () => undefined,
          (err: unknown) => err as Error,
        );
      const outputs = {
        'a request body': receiver.requests.map((request) => request.body).join('\n'),
        'the description': JSON.stringify(testCase.definition.describe()),
        'an error': error ? `${error.message}\n${error.stack}` : '',
      };
      for (const [where, text] of Object.entries(outputs)) {
        for (const secret of secrets) {
          assert.ok(
            !text.includes(secret),
            `${where} shows a secret option's value (${secret.slice(0, 2)}…)`,
          );
        }
      }
      await sink.close?.();
    },
  },
  {
    name: 'describes every option it accepts',
    async run({ testCase }: ConformanceContext) {
      const { definition } = testCase;
      const described = definition.describe().options;
      assert.deepEqual(
        described.map((option) => option.name),
        Object.keys(definition.options),
        'describe() does not list every option',
      );
      for (const option of described) {
        assert.ok(
          option.description.trim().length >= 10,
          `option '${option.name}' has no description`,
        );
        assert.ok(
          option.accepts.length > 0,
          `option '${option.name}' does not say what it accepts`,
        );
      }
      assert.ok(
        definition.describe().description.trim().length >= 10,
        'the sink has no description',
      );
    },
  },
];
