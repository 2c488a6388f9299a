import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkConfig } from '../src/config/check-config.js';
import { configSchema } from '../src/config/schema.js';

const published = JSON.parse(
  readFileSync(new URL('../keventer.schema.json', import.meta.url), 'utf8'),
) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(published);

// Each example: is it valid, for both the schema and the checker?
const EXAMPLES: readonly (readonly [boolean, string])[] = [
  [true, ''],
  [true, 'routes: [{ sink: log }]'],
  [
    true,
    `source: { uri: 'kubernetes:https://kubernetes.default', since: 15m }
routes:
  - name: oncall
    sink: 'dingtalk:https://oapi.dingtalk.com/robot/send?access_token=x&label=prod'
    filter: { level: Warning, namespaces: [prod, 'team-*'], exclude: { reasons: [Pulled] }, minCount: 2 }
    dedup: { mode: cooldown, windowMs: 10m }
    delivery:
      batch: { maxEvents: 10, timeoutMs: 5s }
      request: { retryAttempts: unlimited, rateLimitNum: 20, rateLimitDurationMs: 62000 }
      buffer: { whenFull: dropOldest }
      aggregate: { windowMs: 5m, by: object }
  - sink: { type: webhook, options: { endpoint: 'https://example.com/hook', method: POST } }
checkpoint: { type: file, path: /var/lib/keventer/checkpoint.json }
log: { format: json, level: debug }
healthz: { ip: 0.0.0.0, port: 8084 }
eventMetrics: false
drainTimeout: 30s
health: { streamDownMs: 2m, sinkFailingMs: 300000 }`,
  ],
  [
    true,
    'source: { kubeconfig: /home/me/.kube/config, apiGroup: events.k8s.io/v1, namespace: prod }',
  ],
  [true, 'checkpoint: { type: in-cluster, namespace: kube-system }'],
  [true, 'checkpoint: { type: in-cluster, namespace: keventer, name: events.checkpoint }'],
  [
    true,
    `leaderElection:
  namespace: keventer
  leaseName: keventer
  identity: keventer-7d9f-abcde_1
  leaseDurationSeconds: 15
  renewDeadlineSeconds: 10
  retryPeriodSeconds: 2
checkpoint: { type: in-cluster }`,
  ],
  [true, 'leaderElection: { renewDeadlineSeconds: 2.5, retryPeriodSeconds: 0.5 }'],
  [true, 'leaderElection: {}'],
  [false, 'sinks: [log]'],
  [false, 'routes: [{ name: x }]'],
  [false, 'routes: [{ sink: log, filter: { level: warning } }]'],
  [false, 'routes: [{ sink: log, dedup: { mode: sometimes } }]'],
  [false, 'routes: [{ sink: log, delivery: { batch: { maxEvents: 0 } } }]'],
  [false, 'routes: [{ sink: log, delivery: { batch: { maxEvent: 5 } } }]'],
  [false, 'routes: [{ sink: log, delivery: { batch: { timeoutMs: soon } } }]'],
  [false, 'routes: [{ sink: log, delivery: { buffer: { whenFull: wait } } }]'],
  [false, 'routes: [{ sink: log, delivery: { request: { retryAttempts: forever } } }]'],
  [false, 'source: { uri: x, kubeconfig: y }'],
  [false, 'source: { apiGroup: v1 }'],
  [false, 'checkpoint: { type: file }'],
  [false, 'checkpoint: { type: redis }'],
  [false, 'checkpoint: { type: in-cluster, configMap: keventer }'],
  [false, 'checkpoint: { type: in-cluster, name: Keventer_Checkpoint }'],
  [false, 'checkpoint: { type: in-cluster, namespace: 7 }'],
  [false, 'leaderElection: { leaseDuration: 15s }'],
  [false, 'leaderElection: { leaseDurationSeconds: 15.5 }'],
  [false, 'leaderElection: { retryPeriodSeconds: 0 }'],
  [false, 'leaderElection: { renewDeadlineSeconds: 10s }'],
  [false, 'leaderElection: { leaseName: Keventer }'],
  [false, "leaderElection: { identity: '' }"],
  [false, 'leaderElection: yes'],
  [false, 'log: { format: xml }'],
  [false, 'healthz: { port: 70000 }'],
  [false, 'drainTimeout: later'],
  [false, 'eventMetrics: yes please'],
];

describe('the JSON Schema of the config file', () => {
  it('is the one src/config/schema.ts makes (npm run schema -w @keventer/cli writes it)', () => {
    expect(published).toEqual(configSchema());
  });

  it.each(EXAMPLES)('agrees with the checker: valid %s for %s', (valid, yaml) => {
    const data = parse(yaml) ?? {};
    expect(validate(data), JSON.stringify(validate.errors)).toBe(valid);
    expect(
      checkConfig(data).problems.length === 0,
      JSON.stringify(checkConfig(data).problems),
    ).toBe(valid);
  });
});
