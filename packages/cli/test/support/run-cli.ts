import { type ChildProcess, spawn } from 'node:child_process';
import { waitFor } from '@keventer/testing';
import { afterEach } from 'vitest';

const BIN = new URL('../../src/bin.ts', import.meta.url).pathname;

/** The real `keventer` bin as a child process, from the sources (tsx with the @keventer/source condition). */
export interface CliProcess {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Waits until stdout+stderr match, or fails with what was printed. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** The healthz server's URL, from the start line. */
  healthzUrl(timeoutMs?: number): Promise<string>;
  /** SIGKILL, then its exit. */
  kill(): Promise<number | null>;
}

/**
 * Registers, at a test file's top level, the cleanups of each test: `defer(stop)`
 * adds one; after each test they run, the last added first, failures ignored.
 */
export function cleanupAfterEach(): (stop: () => Promise<unknown>) => void {
  const stops: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => {});
  });
  return (stop) => {
    stops.push(stop);
  };
}

export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@keventer/source', BIN, ...args],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  const waitForOutput = async (pattern: RegExp, timeoutMs = 30_000) => {
    let match: RegExpExecArray | null = null;
    await waitFor(
      () => {
        match = pattern.exec(out + err);
        return match !== null || exitCode !== undefined;
      },
      { timeoutMs, what: () => `output so far:\n${out}${err}` },
    );
    if (!match)
      throw new Error(`keventer exited (${exitCode}) without printing ${pattern}:\n${out}${err}`);
    return match;
  };
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForOutput,
    async healthzUrl(timeoutMs) {
      const match = await waitForOutput(/"url":"(http:\/\/[^"]+)"/, timeoutMs);
      return (match[1] as string).replace('0.0.0.0', '127.0.0.1');
    },
    kill() {
      child.kill('SIGKILL');
      return exited;
    },
  };
}

/** Runs the bin to its end: exit code and output. */
export async function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = startCli(args, env);
  const code = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

/** Polls a URL until it answers `status`. */
export async function waitForStatus(
  url: string,
  status: number,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      last = `${res.status} ${await res.text()}`;
      if (res.status === status) return;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})`);
}

/**
 * Waits until the CLI forwards: `/readyz` 200 (its stream has listed) and,
 * when it serves metrics, `keventer_leader 1`. Readiness alone does not say
 * it: under leader election a standby is ready too.
 */
export async function waitForForwarding(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const ready = await fetch(`${url}/readyz`);
      const metrics = await fetch(`${url}/metrics`);
      const text = await metrics.text();
      last = `/readyz ${ready.status} ${await ready.text()}; /metrics ${metrics.status}`;
      const leading = metrics.status === 404 || /^keventer_leader 1$/m.test(text);
      if (ready.status === 200 && leading) return;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not forward within ${timeoutMs} ms (last: ${last})`);
}

/**
 * Polls `/metrics` until every pattern matches, and returns that text. A fake
 * records a request before it answers, and a route counts it sent after the
 * answer: a metric is read only once it says so.
 */
export async function waitForMetrics(
  url: string,
  patterns: readonly RegExp[],
  timeoutMs = 30_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await (await fetch(`${url}/metrics`)).text();
    if (patterns.every((p) => p.test(text))) return text;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`/metrics did not match ${patterns.join(', ')} within ${timeoutMs} ms:\n${text}`);
}
