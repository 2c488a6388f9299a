import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/read-config.js';
import { readCliOptions } from '../src/flags/cli-options.js';
import { ConfigurationError, resolveRun } from '../src/resolve.js';
import { runCli } from './support/run-cli.js';

const BAD = `source:
  uri: kubernetes:https://kubernetes.default?insecure=maybe
routes:
  - name: oncall
    sink: dingtalk:https://oapi.dingtalk.com/robot/send?access_token=SECRET123&msg_type=html
    filter:
      level: warning
    delivery:
      batch:
        maxEvents: 0
        timeoutMs: soon
  - name: oncall
    sink:
      type: webhook
      options: { endpoint: 'http://127.0.0.1:9/x', methd: POST }
    dedup: { mode: cooldown, windowMs: 10m, ttlMs: 1h }
    colour: red
log:
  format: xml
`;

async function problemsOf(yaml: string, args: string[] = []): Promise<string[]> {
  try {
    await resolveRun(readCliOptions(args), parseConfig(yaml, 'keventer.yaml'), {});
  } catch (error) {
    if (error instanceof ConfigurationError)
      return error.problems.map((p) => `${p.where}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('the config file', () => {
  it('reports every problem at once, each with its line, column and path, in the order of the file', async () => {
    const problems = await problemsOf(BAD);
    expect(problems.map((p) => p.slice(0, p.indexOf(': ')))).toEqual([
      'keventer.yaml:2:3 source.uri',
      'keventer.yaml:5:5 routes[0].sink',
      'keventer.yaml:7:7 routes[0].filter.level',
      'keventer.yaml:10:9 routes[0].delivery.batch.maxEvents',
      'keventer.yaml:11:9 routes[0].delivery.batch.timeoutMs',
      'keventer.yaml:12:5 routes[1].name',
      'keventer.yaml:13:5 routes[1].sink',
      'keventer.yaml:16:45 routes[1].dedup.ttlMs',
      'keventer.yaml:17:5 routes[1].colour',
      'keventer.yaml:19:3 log.format',
    ]);
    const text = problems.join('\n');
    expect(text).toMatch(/insecure=maybe: expected true or false/);
    expect(text).toMatch(/'msg_type': 'html' is not accepted/);
    expect(text).toMatch(/routes\[0\] has this name too/);
    expect(text).toMatch(/unknown option 'methd' \(did you mean 'method'\?\)/);
    expect(text).toMatch(/ttlMs: only applies to/);
    expect(text).toMatch(/colour: unknown key; accepted: name, sink, filter, dedup, delivery/);
    expect(text).not.toContain('SECRET123');
  });

  it('a kubeconfig that cannot be read, an unknown sink type and a second --source are found before the start', async () => {
    const problems = await problemsOf(
      `source: { kubeconfig: /nonexistent/kubeconfig }
routes:
  - sink: { type: dingtalkk, options: {} }
`,
      ['--sink=dingtalk:https://oapi.dingtalk.com/robot/send?access_token=T0KEN&level=warning'],
    );
    expect(problems).toEqual([
      'keventer.yaml:1:11 source.kubeconfig: kubeconfig=/nonexistent/kubeconfig: the kubeconfig file cannot be read (ENOENT)',
      expect.stringMatching(
        /^keventer\.yaml:3:5 routes\[0\]\.sink: unknown sink type 'dingtalkk'; known: .*dingtalk, /,
      ),
      expect.stringMatching(/^--sink #1: .*option 'level': 'warning' is not accepted/),
    ]);
    expect(problems.join('\n')).not.toContain('T0KEN');
    const twoSources = await problemsOf('', [
      '--source=kubernetes:',
      '--source=kubernetes:',
      '--sink=log',
    ]);
    expect(twoSources).toEqual(['--source: one source only (got 2)']);
    const auth = await problemsOf('', [
      '--source=kubernetes:?inClusterConfig=false&auth=/nonexistent',
      '--sink=log',
    ]);
    expect(auth).toEqual([
      '--source: auth=/nonexistent: the kubeconfig file cannot be read (ENOENT)',
    ]);
  });

  it('a YAML syntax error names its line', async () => {
    const problems = await problemsOf('routes:\n  - sink: log\n   bad: [\n');
    expect(problems[0]).toMatch(/^keventer\.yaml:3:\d+: /);
  });

  it('a valid file resolves: durations, unlimited, sinks as URIs and as options, the command line over the file', async () => {
    const yaml = `source:
  uri: kubernetes:http://127.0.0.1:1?inClusterConfig=false
  since: 15m
routes:
  - sink: log
    delivery:
      batch: { timeoutMs: 5s }
      request: { retryAttempts: unlimited, rateLimitNum: 10, rateLimitDurationMs: 1m }
      aggregate: { windowMs: 5m, by: object }
  - name: hook
    sink: { type: webhook, options: { endpoint: 'http://127.0.0.1:9/hook', method: POST } }
    filter: { level: Warning, namespaces: ['prod-*'], exclude: { reasons: [Pulled] } }
    dedup: { mode: cooldown, windowMs: 10m }
drainTimeout: 10s
healthz: { ip: 127.0.0.1, port: 9000 }
log: { format: text, level: debug }
`;
    const run = await resolveRun(
      readCliOptions(['--healthz-port=9100']),
      parseConfig(yaml, 'k.yaml'),
      {},
    );
    expect(run.plan.source.since).toBe(900_000);
    expect(run.plan.drainTimeoutMs).toBe(10_000);
    expect(run.healthz).toEqual({ ip: '127.0.0.1', port: 9100 });
    expect(run.plan.routes[0]?.delivery).toEqual({
      batch: { timeoutMs: 5000 },
      request: {
        retryAttempts: Number.POSITIVE_INFINITY,
        rateLimitNum: 10,
        rateLimitDurationMs: 60_000,
      },
      aggregate: { windowMs: 300_000, by: 'object' },
    });
    expect(run.plan.routes[1]?.dedup).toEqual({ mode: 'cooldown', windowMs: 600_000 });
  });

  it('the bin exits 1 with the problems on stderr, and starts nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keventer-config-'));
    const file = join(dir, 'keventer.yaml');
    writeFileSync(file, BAD);
    const { code, stdout, stderr } = await runCli(['--config', file]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^keventer: the configuration has 10 problems:\n/);
    expect(stderr).toContain(`${file}:10:9 routes[0].delivery.batch.maxEvents`);
    expect(stderr + stdout).not.toContain('SECRET123');
    expect(stdout).not.toMatch(/keventer started/);
  }, 60_000);
});
