// npm run bench:delivery: the delivery engine against a local HTTP receiver.
// The fake API server, the forwarder and the receiver each run in their own
// process. Prints one line per figure:
//   lag at 1k events/s, batched throughput, one-event-per-request throughput,
//   and peak RSS through a receiver outage at 1k events/s with a 10k buffer.
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { DeliveryInput } from '@keventer/core';

const BATCHED_EVENTS = Number(process.env.BENCH_BATCHED_EVENTS ?? 100_000);
const SINGLE_EVENTS = Number(process.env.BENCH_SINGLE_EVENTS ?? 20_000);
const LAG_SECONDS = Number(process.env.BENCH_LAG_SECONDS ?? 10);
const OUTAGE_SECONDS = Number(process.env.BENCH_OUTAGE_SECONDS ?? 60);
const script = (name: string) => new URL(`./${name}.js`, import.meta.url).pathname;
const wallMs = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A child process spoken to in lines: `ask` writes a command and reads the next line. */
class Child {
  readonly #child: ChildProcessByStdio<Writable, Readable, null>;
  readonly #lines: AsyncIterator<string>;

  constructor(name: string, args: string[] = [], nodeFlags: string[] = []) {
    // BENCH_PROF=dir writes CPU profiles of the three processes there.
    const prof = process.env.BENCH_PROF
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`]
      : [];
    this.#child = spawn(process.execPath, [...nodeFlags, ...prof, script(name), ...args], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.#lines = createInterface({ input: this.#child.stdout })[Symbol.asyncIterator]();
  }

  async line(): Promise<string> {
    const next = await this.#lines.next();
    if (next.done) throw new Error('a benchmark process ended early');
    return next.value;
  }

  async ask<T = unknown>(command: string): Promise<T> {
    this.#child.stdin.write(`${command}\n`);
    const line = await this.line();
    return (line.startsWith('{') ? JSON.parse(line) : line) as T;
  }

  end(): void {
    this.#child.stdin.end();
  }
}

interface ReceiverReport {
  distinct: number;
  received: number;
  requests: number;
  rejected: number;
  firstAt: number;
  lastAt: number;
  p50: number;
  p99: number;
  max: number;
}
interface ForwarderResult {
  report: { undelivered: number; routes: Record<string, { sent: number; dropped: number }> };
  peakRssMib: number;
  cpuMs: number;
}

const server = new Child('delivery-server');
const { kubeconfig } = JSON.parse(await server.line()) as { kubeconfig: string };
const receiver = new Child('delivery-receiver');
const { url } = JSON.parse(await receiver.line()) as { url: string };

async function withForwarder<T>(
  bodyFormat: 'event' | 'json_array',
  delivery: DeliveryInput,
  work: (startedAt: number) => Promise<T>,
  resumeFrom?: string,
  nodeFlags: string[] = [],
): Promise<T & { forwarder: ForwarderResult }> {
  await receiver.ask('reset');
  const forwarder = new Child(
    'delivery-forwarder',
    [JSON.stringify({ kubeconfig, url, bodyFormat, delivery, resumeFrom })],
    nodeFlags,
  );
  const { startedAt } = JSON.parse(await forwarder.line()) as { startedAt: number };
  if ((await forwarder.line()) !== 'ready') throw new Error('the forwarder did not start');
  const result = await work(startedAt);
  const stopped = await forwarder.ask<ForwarderResult>('stop');
  forwarder.end();
  return { ...result, forwarder: stopped };
}

async function until(expected: number, timeoutMs: number): Promise<ReceiverReport> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await receiver.ask<ReceiverReport>('report');
    if (report.distinct >= expected) return report;
    if (Date.now() > deadline) {
      throw new Error(`only ${report.distinct} of ${expected} events arrived in ${timeoutMs} ms`);
    }
    await sleep(20);
  }
}

/**
 * Events stored first, then read by a forwarder resuming from before them: the
 * watch replays them at full speed, so the figure is the forwarder's (ingest and
 * delivery), not how fast the fake API server creates events. Timed from the
 * first delivery to the last.
 */
async function throughput(
  events: number,
  bodyFormat: 'event' | 'json_array',
  delivery: DeliveryInput,
) {
  const { before } = await server.ask<{ before: string }>(`burst ${events}`);
  return withForwarder(
    bodyFormat,
    delivery,
    async (startedAt) => {
      const report = await until(events, 120_000);
      return {
        rate: (events / (report.lastAt - report.firstAt)) * 1000,
        firstAfterMs: report.firstAt - startedAt,
        report,
      };
    },
    before,
  );
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
// Lag first, while the fake API server's store is small: with 200k stored events its
// own garbage collection pauses (up to ~150 ms) would show up as lag.
const lagDelivery: DeliveryInput = { batch: { maxEvents: 100, timeoutMs: 5 } };
const c = await withForwarder('json_array', lagDelivery, async () => {
  await server.ask(`rate 1000 ${LAG_SECONDS}`);
  return { report: await until(1000 * LAG_SECONDS, 30_000) };
});
console.log(
  `lag at 1000 events/s for ${LAG_SECONDS} s (batch.maxEvents 100, batch.timeoutMs 5): p50 ${c.report.p50.toFixed(1)} ms, p99 ${c.report.p99.toFixed(1)} ms, max ${c.report.max.toFixed(1)} ms`,
);

const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 2);
const batched: DeliveryInput = {
  batch: { maxEvents: BATCH, timeoutMs: 20 },
  request: { concurrency: CONCURRENCY },
};
const a = await throughput(BATCHED_EVENTS, 'json_array', batched);
console.log(
  `batched: ${fmt(a.rate)} events/s (${BATCHED_EVENTS} events in ${a.report.requests} requests of up to ${BATCH}, concurrency ${CONCURRENCY}; first delivery ${fmt(a.firstAfterMs)} ms after start), ${((a.forwarder.cpuMs * 1000) / BATCHED_EVENTS).toFixed(1)} µs forwarder CPU per event, peak rss ${fmt(a.forwarder.peakRssMib)} MiB`,
);

const single: DeliveryInput = {
  batch: { maxEvents: 1, timeoutMs: 0 },
  request: { concurrency: 8 },
};
const b = await throughput(SINGLE_EVENTS, 'event', single);
console.log(
  `one event per request: ${fmt(b.rate)} events/s (${SINGLE_EVENTS} requests, concurrency 8; first delivery ${fmt(b.firstAfterMs)} ms after start), ${((b.forwarder.cpuMs * 1000) / SINGLE_EVENTS).toFixed(0)} µs forwarder CPU per event`,
);

const outageTotal = 1000 * (OUTAGE_SECONDS + 10);
const outage: DeliveryInput = {
  batch: { maxEvents: 500, timeoutMs: 20 },
  buffer: { maxEvents: 10_000, whenFull: 'block' },
  request: { retryInitialBackoffMs: 500 },
};
/** The heap settings docs/performance.md recommends for a forwarder process. */
const TUNED_HEAP = ['--max-semi-space-size=1', '--max-old-space-size=96'];
const d = await withForwarder(
  'json_array',
  outage,
  async () => {
    const creating = server.ask(`rate 1000 ${OUTAGE_SECONDS + 10}`);
    await sleep(5000);
    await receiver.ask('down');
    const downAt = wallMs();
    await sleep(OUTAGE_SECONDS * 1000);
    await receiver.ask('up');
    const upAt = wallMs();
    await creating;
    const report = await until(outageTotal, 120_000);
    return { report, downMs: upAt - downAt, catchUpMs: report.lastAt - upAt };
  },
  undefined,
  TUNED_HEAP,
);
const route = Object.values(d.forwarder.report.routes)[0];
console.log(
  `outage of ${(d.downMs / 1000).toFixed(0)} s at 1000 events/s, buffer 10000 (block): peak rss ${fmt(d.forwarder.peakRssMib)} MiB with ${TUNED_HEAP.join(' ')}; ${d.report.distinct} of ${outageTotal} events delivered after recovery (${route?.dropped ?? 0} dropped, ${d.forwarder.report.undelivered} undelivered), caught up ${(d.catchUpMs / 1000).toFixed(1)} s after the receiver came back`,
);

server.end();
receiver.end();
console.log(
  `delivery batched_events/s=${fmt(a.rate).replaceAll(',', '')} single_events/s=${fmt(b.rate).replaceAll(',', '')} lag_p50_ms=${c.report.p50.toFixed(1)} lag_p99_ms=${c.report.p99.toFixed(1)} outage_peak_rss_mib=${fmt(d.forwarder.peakRssMib)} outage_lost=${outageTotal - d.report.distinct}`,
);
