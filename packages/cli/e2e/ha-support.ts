import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoordinationV1Api, KubeConfig } from '@kubernetes/client-node';
import { api, kubeconfigPath } from '../../integration/e2e/support.js';

const cliDir = fileURLToPath(new URL('..', import.meta.url));
const bin = join(cliDir, 'dist', 'bin.js');

/** The bin runs from dist: build it (and what it imports) first; quick when up to date. */
export function buildCli(): void {
  const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
  execFileSync(process.execPath, [tsc, '-b', cliDir], { stdio: 'inherit' });
}

/** Timings of the e2e: lease 3 s, renew deadline 2 s, retry 0.5 s. */
export const LEASE = { leaseDurationSeconds: 3, renewDeadlineSeconds: 2, retryPeriodSeconds: 0.5 };

export interface ReplicaSetup {
  /** Where events are created and watched. */
  namespace: string;
  /** Where the Lease and the checkpoint ConfigMap live. */
  systemNamespace: string;
  leaseName: string;
  webhookUrl: string;
  /** The route's batch size: the most a SIGKILL may duplicate. */
  maxEvents: number;
}

/** Writes the config file both replicas run with. */
export function writeConfig(setup: ReplicaSetup): string {
  const dir = mkdtempSync(join(tmpdir(), 'keventer-ha-'));
  const path = join(dir, 'keventer.yaml');
  writeFileSync(
    path,
    [
      'source:',
      `  kubeconfig: ${kubeconfigPath}`,
      `  namespace: ${setup.namespace}`,
      'routes:',
      `  - sink: "webhook:${setup.webhookUrl}?body_format=ndjson"`,
      `    delivery: { batch: { maxEvents: ${setup.maxEvents}, timeoutMs: 200 } }`,
      `checkpoint: { type: in-cluster, namespace: ${setup.systemNamespace}, name: ${setup.leaseName}-checkpoint }`,
      'leaderElection:',
      `  namespace: ${setup.systemNamespace}`,
      `  leaseName: ${setup.leaseName}`,
      ...Object.entries(LEASE).map(([key, value]) => `  ${key}: ${value}`),
      'healthz: { ip: 127.0.0.1, port: 0 }',
      'log: { format: json, level: info }',
    ].join('\n'),
  );
  return path;
}

/** One `keventer` process, its JSON log lines and its health address. */
export class Replica {
  readonly lines: Record<string, unknown>[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly #child: ChildProcess;
  #healthUrl: string | undefined;

  constructor(
    readonly name: string,
    configPath: string,
    { extraArgs = [], ...env }: { extraArgs?: string[] } & Record<string, string | string[]> = {},
  ) {
    this.#child = spawn(process.execPath, [bin, '--config', configPath, ...extraArgs], {
      env: { ...process.env, ...(env as Record<string, string>), POD_NAME: name },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffered = '';
    this.#child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        try {
          const parsed = JSON.parse(line) as Record<string, unknown>;
          this.lines.push(parsed);
          if (typeof parsed.url === 'string' && !this.#healthUrl) this.#healthUrl = parsed.url;
        } catch {
          this.lines.push({ raw: line });
        }
      }
    });
    this.#child.stderr?.on('data', (chunk: Buffer) =>
      this.lines.push({ stderr: chunk.toString() }),
    );
    this.exited = new Promise((resolve) =>
      this.#child.once('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  /** The identity it writes into the Lease (POD_NAME_pid). */
  get identity(): string {
    return `${this.name}_${this.#child.pid}`;
  }

  kill(signal: NodeJS.Signals): void {
    this.#child.kill(signal);
  }

  /**
   * True when it forwards: `keventer_leader 1` in /metrics (a standby answers
   * /readyz 200 too) and /readyz 200 (its stream has listed). False on standby
   * or when unreachable.
   */
  async leading(): Promise<boolean> {
    if (!this.#healthUrl) return false;
    try {
      const metrics = await (await fetch(`${this.#healthUrl}/metrics`)).text();
      if (!/^keventer_leader 1$/m.test(metrics)) return false;
      return (await this.readyz()) === 200;
    } catch {
      return false;
    }
  }

  /** The /readyz status, 0 when unreachable. */
  async readyz(): Promise<number> {
    if (!this.#healthUrl) return 0;
    try {
      return (await fetch(`${this.#healthUrl}/readyz`)).status;
    } catch {
      return 0;
    }
  }

  /** The `keventer_leader` gauge, undefined when unreachable or absent. */
  async leaderGauge(): Promise<number | undefined> {
    if (!this.#healthUrl) return undefined;
    try {
      const metrics = await (await fetch(`${this.#healthUrl}/metrics`)).text();
      const match = /^keventer_leader (\d)$/m.exec(metrics);
      return match ? Number(match[1]) : undefined;
    } catch {
      return undefined;
    }
  }

  messages(): string {
    return this.lines.map((l) => JSON.stringify(l)).join('\n');
  }
}

/** The Lease's current holder, '' when released or absent. */
export async function holderOf(namespace: string, name: string): Promise<string> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  try {
    const lease = await kc
      .makeApiClient(CoordinationV1Api)
      .readNamespacedLease({ namespace, name });
    return lease.spec?.holderIdentity ?? '';
  } catch {
    return '';
  }
}

/** Polls `check` (async) until true, like waitFor. */
export async function waitForAsync(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Creates `count` distinct Events (message `<label> <i>`), `perSecond` of them a second; `onEach` after each. */
export async function produceEvents(
  namespace: string,
  count: number,
  perSecond: number,
  onEach: (i: number) => void | Promise<void>,
  label = 'occurrence',
): Promise<string[]> {
  const messages: string[] = [];
  const started = Date.now();
  for (let i = 0; i < count; i++) {
    const message = `${label} ${i}`;
    const now = new Date();
    await api().createNamespacedEvent({
      namespace,
      body: {
        metadata: { name: `ha.${started.toString(16)}.${i}`, namespace },
        involvedObject: { kind: 'Pod', namespace, name: `app-${i % 7}`, apiVersion: 'v1' },
        reason: 'BackOff',
        message,
        type: 'Warning',
        source: { component: 'kubelet', host: 'node-e2e' },
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
      },
    });
    messages.push(message);
    await onEach(i);
    const due = started + ((i + 1) * 1000) / perSecond;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
  }
  return messages;
}
