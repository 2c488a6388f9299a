import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createForwarder } from '../../core/src/delivery/forwarder.js';
import { createHealthCheck } from '../../core/src/delivery/health.js';
import { consoleLogger, silentLogger } from '../../core/src/logger.js';
import { OptionsError } from '../../core/src/options-check.js';
import { StreamConfigError } from '../../core/src/stream/errors.js';
import { EventStream } from '../../core/src/stream/event-stream.js';
import { recordingSink } from './support/recording-sink.js';
import { kubeconfigFor, runStream, startServer, tempDir } from './support/stream-harness.js';

const savedEnv = { KUBECONFIG: process.env.KUBECONFIG, HOME: process.env.HOME };
afterEach(() => {
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

/** The first `next()` of a stream: configuration errors must reject it at once. */
async function firstNext(stream: EventStream): Promise<unknown> {
  const started = Date.now();
  const error = await stream[Symbol.asyncIterator]()
    .next()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(Date.now() - started).toBeLessThan(2000);
  return error;
}

/** A kubeconfig for `server` with its cluster's settings replaced. */
async function kubeconfigWith(server: string, clusterLines: string[], token = 'sekret-token') {
  const path = join(await tempDir(), 'kubeconfig');
  const text = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: c',
    '  cluster:',
    `    server: ${server}`,
    ...clusterLines.map((line) => `    ${line}`),
    'users:',
    '- name: u',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: x',
    '  context: {cluster: c, user: u}',
    'current-context: x',
    '',
  ].join('\n');
  await writeFile(path, text);
  return path;
}

describe('EventStream: configuration errors stop it at once', () => {
  it('with no cluster configured anywhere', async () => {
    if (existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token')) return; // in a pod
    delete process.env.KUBECONFIG;
    process.env.HOME = await tempDir(); // no ~/.kube/config
    const stream = new EventStream();
    const error = await firstNext(stream);
    expect(error).toBeInstanceOf(StreamConfigError);
    expect(String(error)).toMatch(
      /no Kubernetes cluster configured: pass kubeConfig.*set KUBECONFIG/,
    );
    expect(stream.state).toMatchObject({ phase: 'stopped', error });
  });

  it('with a plain http:// server and no insecure-skip-tls-verify', async () => {
    const server = await startServer();
    const stream = new EventStream({ kubeConfig: await kubeconfigWith(server.url, []) });
    expect(String(await firstNext(stream))).toMatch(
      /plain http:\/\/ server \(http:\/\/127\.0\.0\.1:\d+\).*insecure-skip-tls-verify: true/,
    );
    expect(server.requests).toEqual([]);
  });

  it('with a kubeconfig that is not YAML, without quoting it', async () => {
    const path = join(await tempDir(), 'kubeconfig');
    await writeFile(path, 'users:\n- name: u\n  user: {token: sekret-token\n');
    const error = await firstNext(new EventStream({ kubeConfig: path }));
    expect(String(error)).toMatch(/the kubeconfig .* could not be read: not valid YAML .*line \d+/);
    expect(String(error)).not.toContain('sekret');
  });

  it('with a kubeconfig file that does not exist', async () => {
    const error = await firstNext(new EventStream({ kubeConfig: '/nonexistent/kubeconfig' }));
    expect(String(error)).toMatch(
      /kubeconfig \/nonexistent\/kubeconfig could not be read: no such file/,
    );
  });

  it('with https:// to a server that speaks plain HTTP', async () => {
    const server = await startServer();
    const https = server.url.replace('http:', 'https:');
    const stream = new EventStream({
      kubeConfig: await kubeconfigWith(https, ['insecure-skip-tls-verify: true']),
    });
    expect(String(await firstNext(stream))).toMatch(/does not speak TLS: check the server URL/);
  });

  it("makes the forwarder's run() fail at once, saying why", async () => {
    const server = await startServer();
    const stream = new EventStream({
      kubeConfig: await kubeconfigWith(server.url, []),
      ack: 'manual',
    });
    const errors: string[] = [];
    const logger = { ...silentLogger, error: (_: unknown, msg?: string) => errors.push(msg ?? '') };
    const forwarder = createForwarder({ stream, routes: [{ sink: recordingSink('r') }], logger });
    await expect(forwarder.run()).rejects.toThrow(/insecure-skip-tls-verify/);
    expect(errors).toContain('the event stream failed: forwarder stopping');
  });
});

describe('EventStream: denied access', () => {
  it('keeps retrying on 403 and is unhealthy at once, with the reason', async () => {
    const server = await startServer();
    server.faults.failRequests({ status: 403, kind: 'any', times: Number.POSITIVE_INFINITY });
    const run = await runStream(server, { ack: 'manual' });
    const health = createHealthCheck(run.stream, [], { streamDownMs: 600_000 });
    await run.until(() => run.stream.stats.retries >= 2);
    expect(health()).toMatchObject({ healthy: false, ready: false });
    expect(health().problems).toContainEqual(
      expect.stringMatching(
        /not allowed to list\/watch events \(403\): Forbidden; check the credentials and RBAC/,
      ),
    );
    server.faults.reset();
    await run.until(() => run.stream.state.phase === 'watching');
    expect(health()).toEqual({ ready: true, healthy: true, problems: [] });
  });
});

describe('EventStream: options are checked at construction', () => {
  it('names a logger factory passed instead of a logger', () => {
    expect(() => new EventStream({ logger: consoleLogger as never })).toThrow(
      /logger: expected an object with debug, info, warn, error methods.*\(got a function named consoleLogger\); a function: pass the logger it makes, e\.g\. consoleLogger\(\)/,
    );
  });

  it('reports every problem at once, each with its value', () => {
    let error: unknown;
    try {
      new EventStream({
        pageSize: 0,
        ack: 'sometimes' as never,
        backoff: { initialMs: -1 },
        checkpoint: {} as never,
        maxLineBytes: 1.5,
        stallTimeoutMs: 3_000_000_000,
        pagesize: 3,
      } as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OptionsError);
    const problems = (error as OptionsError).problems.join('\n');
    expect(problems).toMatch(/pageSize: expected a positive integer \(got 0\)/);
    expect(problems).toMatch(/ack: expected 'auto' or 'manual' \(got 'sometimes'\)/);
    expect(problems).toMatch(/backoff\.initialMs: expected a positive number of ms .*\(got -1\)/);
    expect(problems).toMatch(/checkpoint: expected a CheckpointStore .*\(got an empty object\)/);
    expect(problems).toMatch(/maxLineBytes: expected a positive integer \(got 1\.5\)/);
    expect(problems).toMatch(/stallTimeoutMs: expected .* up to 2147483647 \(got 3000000000\)/);
    expect(problems).toMatch(/pagesize: unknown option \(did you mean 'pageSize'\?\)/);
    expect((error as OptionsError).problems).toHaveLength(7);
  });

  it('accepts the options of the docs', async () => {
    const server = await startServer();
    const stream = new EventStream({
      kubeConfig: await kubeconfigFor(server),
      since: '15m',
      fieldSelector: 'type=Warning',
      backoff: { initialMs: 100 },
      logger: consoleLogger('error'),
      signal: new AbortController().signal,
      maxLineBytes: 2 ** 24,
    });
    expect(stream.state.phase).toBe('connecting');
  });
});
