// npm run bench:sinks: each sink of bench/sinks/registry.ts into its real server
// (scripts/with-services.sh starts them), as users run it: the built packages,
// Node's default flags, a whole forwarder (EventStream from the fake API server ->
// createForwarder -> the sink at its defaults), each part in its own process.
// In the same run, kube-eventer's way as the baseline: one write per event.
// Every run writes to a fresh table or database, and its rows or points are
// counted afterwards: a rate is only printed for a store that holds every event.
//   BENCH_EVENTS (100000) through the forwarder; BENCH_PER_EVENT_EVENTS (10000)
//   one by one; BENCH_SINKS=mysql,influxdb to run some; BENCH_PROF=dir for CPU
//   profiles of the forwarder's process; BENCH_FORWARDER_FLAGS='--max-old-space-size=160'
//   Node flags for the forwarder's process; BENCH_DELIVERY='{"batch":{"maxEvents":1000}}'
//   over the sinks' delivery defaults (to try others; the figures above are at the defaults).
// The last line: `sinks <name>_<unit>/s=<n> <name>_per_event_<unit>/s=<m> ...`.
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { machineCpuMs, processCpuMs, servicePid } from './sinks/cpu.js';
import { benchKubeEvents } from './sinks/events.js';
import { CEILING, SINK_BENCHES } from './sinks/registry.js';
import type { SinkBench } from './sinks/types.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const PER_EVENT_EVENTS = Number(process.env.BENCH_PER_EVENT_EVENTS ?? 10_000);
const chosen = process.env.BENCH_SINKS?.split(',').filter(Boolean);
const benches = SINK_BENCHES.filter((b) => !chosen || chosen.includes(b.name));

/** A child process spoken to in lines. */
class Child {
  readonly #child: ChildProcessByStdio<Writable, Readable, null>;
  readonly #lines: AsyncIterator<string>;

  constructor(name: string, args: string[] = []) {
    const prof =
      process.env.BENCH_PROF && name === 'forwarder'
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`]
        : [];
    // Node flags for the forwarder alone, e.g. the image's heap flags.
    if (process.env.BENCH_FORWARDER_FLAGS && name === 'forwarder') {
      prof.push(...process.env.BENCH_FORWARDER_FLAGS.split(' ').filter(Boolean));
    }
    const script = new URL(`./sinks/${name}.js`, import.meta.url).pathname;
    this.#child = spawn(process.execPath, [...prof, script, ...args], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.#lines = createInterface({ input: this.#child.stdout })[Symbol.asyncIterator]();
  }

  /** The next line that is a JSON object with `key`; other lines go to stderr as they are. */
  async line<T>(key: string): Promise<T> {
    for (;;) {
      const next = await this.#lines.next();
      if (next.done) throw new Error('a benchmark process ended early');
      const value = next.value.startsWith('{') ? JSON.parse(next.value) : undefined;
      if (value && key in value) return value as T;
      console.error(next.value);
    }
  }

  kill(): void {
    this.#child.kill();
  }

  get exited(): Promise<void> {
    if (this.#child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => this.#child.once('exit', () => resolve()));
  }

  async ask<T>(command: string, key: string): Promise<T> {
    this.#child.stdin.write(`${command}\n`);
    return this.line<T>(key);
  }

  get pid(): number {
    return this.#child.pid ?? 0;
  }

  end(): void {
    this.#child.stdin.end();
  }
}

/** CPU ms of the API server and the sink's server, and of the machine, from here on. */
function cpuWindow(service: string) {
  const serverPid = servicePid(service);
  const cpu = () => ({
    api: processCpuMs(api.pid),
    server: serverPid ? processCpuMs(serverPid) : Number.NaN,
    machine: machineCpuMs(),
  });
  const start = cpu();
  return () => {
    const end = cpu();
    return {
      apiMs: end.api - start.api,
      serverMs: end.server - start.server,
      machineBusyMs: end.machine.busy - start.machine.busy,
      machineTotalMs: end.machine.total - start.machine.total,
    };
  };
}

interface ForwarderRun {
  elapsedMs: number;
  startupMs: number;
  cpuMs: number;
  peakRssMib: number;
  sent: number;
  received: number;
  queueDepth: number;
  failed: number;
  retries: number;
  writes: number;
  writeMsMean: number;
}

interface Result {
  bench: SinkBench;
  forwarder: ForwarderRun;
  cpu: ReturnType<ReturnType<typeof cpuWindow>>;
  rate: number;
  perEventRate: number;
}

async function verified(bench: SinkBench, target: Record<string, string>, expected: number) {
  const stored = await bench.count(target);
  if (stored !== expected) {
    throw new Error(`${bench.name}: the store holds ${stored} ${bench.unit}, not ${expected}`);
  }
}

async function measure(bench: SinkBench, kubeconfig: string): Promise<Result> {
  const stamp = `${Date.now().toString(36)}${process.pid}`;
  const target = await bench.fresh(`fwd_${stamp}`);
  const { before } = await api.ask<{ before: string }>(
    `store ${EVENTS} ${bench.name}${stamp}`,
    'before',
  );
  const child = new Child('forwarder', [
    JSON.stringify({ kubeconfig, sink: bench.name, target, resumeFrom: before, expected: EVENTS }),
  ]);
  let forwarder: ForwarderRun;
  let cpu: ReturnType<ReturnType<typeof cpuWindow>>;
  try {
    await child.line('watching');
    const cpuSince = cpuWindow(bench.service);
    forwarder = await child.line<ForwarderRun>('sent');
    cpu = cpuSince();
    // It exits by itself (writing its CPU profile, with BENCH_PROF).
    await child.exited;
  } catch (err) {
    child.kill();
    throw err;
  }
  if (forwarder.sent !== EVENTS || forwarder.failed > 0) {
    throw new Error(
      `${bench.name}: the forwarder sent ${forwarder.sent} of ${EVENTS} (received ${forwarder.received}, ${forwarder.queueDepth} queued, ${forwarder.failed} failed, ${forwarder.retries} retries)`,
    );
  }
  if (bench.reference)
    return {
      bench,
      forwarder,
      cpu,
      rate: (EVENTS / forwarder.elapsedMs) * 1000,
      perEventRate: Number.NaN,
    };
  await verified(bench, target, EVENTS);

  const oneByOne = await bench.fresh(`one_${stamp}`);
  const events = benchKubeEvents(PER_EVENT_EVENTS, `one${stamp}`);
  const startedAt = performance.now();
  await bench.perEvent(oneByOne, events);
  const perEventMs = performance.now() - startedAt;
  await verified(bench, oneByOne, PER_EVENT_EVENTS);
  return {
    bench,
    forwarder,
    cpu,
    rate: (EVENTS / forwarder.elapsedMs) * 1000,
    perEventRate: (PER_EVENT_EVENTS / perEventMs) * 1000,
  };
}

const unknown = chosen?.filter((name) => !SINK_BENCHES.some((b) => b.name === name)) ?? [];
if (unknown.length > 0) throw new Error(`BENCH_SINKS names no benchmark: ${unknown.join(', ')}`);
for (const bench of benches) {
  const why = bench.missing();
  if (why) throw new Error(`${bench.name}: ${why} (run it through scripts/with-services.sh)`);
}

const api = new Child('api-server');
const { kubeconfig } = await api.line<{ kubeconfig: string }>('kubeconfig');
const results: Result[] = [];
try {
  for (const bench of [CEILING, ...benches]) {
    results.push(await measure(bench, kubeconfig));
    await bench.close();
  }
} finally {
  api.end();
  for (const bench of benches) await bench.close().catch(() => {});
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
console.log(
  `${EVENTS} events through a forwarder (sink defaults); ${PER_EVENT_EVENTS} written one by one for the baseline; every store counted`,
);
const perEvent = (ms: number) => (Number.isNaN(ms) ? '?' : fmt((ms * 1000) / EVENTS, 1));
const rows = [
  [
    'sink',
    'forwarder',
    'writes',
    'ms/write',
    'CPU µs/event: forwarder',
    'API server',
    'DB server',
    'others',
    'peak RSS',
    'one per event',
    'ratio',
  ],
  ...results.map(({ bench, forwarder: f, cpu, rate, perEventRate }) => [
    bench.name,
    `${fmt(rate)} ${bench.unit}/s`,
    fmt(f.writes),
    fmt(f.writeMsMean, 1),
    perEvent(f.cpuMs),
    perEvent(cpu.apiMs),
    perEvent(cpu.serverMs),
    // What the rest of the machine used meanwhile: other work slows every figure.
    `${fmt((100 * (cpu.machineBusyMs - f.cpuMs - cpu.apiMs - (cpu.serverMs || 0))) / cpu.machineTotalMs)}% busy`,
    `${fmt(f.peakRssMib)} MiB`,
    bench.reference ? '' : `${fmt(perEventRate)} ${bench.unit}/s`,
    bench.reference ? '' : `${fmt(rate / perEventRate, 1)}x`,
  ]),
];
const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0))) ?? [];
for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
for (const { bench } of results) {
  if (bench.reference)
    console.log(`${bench.name}: the same forwarder into a sink that writes nothing (the ceiling)`);
  else console.log(`${bench.name} baseline: ${bench.perEventMethod}`);
}
console.log(
  `sinks ${results
    .filter(({ bench }) => !bench.reference)
    .map(
      ({ bench: b, rate, perEventRate }) =>
        `${b.name}_${b.unit}/s=${Math.round(rate)} ${b.name}_per_event_${b.unit}/s=${Math.round(perEventRate)}`,
    )
    .join(' ')}`,
);
