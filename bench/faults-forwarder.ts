// The forwarder of the fault soak, in its own process so it can be SIGTERMed and
// SIGKILLed and restarted with the same checkpoint file, as users run it:
// EventStream (ack 'manual', FileCheckpointStore) -> createForwarder -> the
// webhook sink built from a kube-eventer `webhook:` URI, Node's default flags.
//   argv[2]: JSON ForwarderConfig. stdout: `watching` once it first watches, a
//   status line (JSON, see ForwarderStatus) every STATUS_EVERY_MS, and on SIGTERM
//   `{"report": ...}` after the drain.
//   BENCH_DEBUG=1: the stream's and forwarder's logs on stderr.
import {
  consoleLogger,
  createForwarder,
  createSinkFromUri,
  EventStream,
  FileCheckpointStore,
} from '@keventer/core';
import '@keventer/webhook'; // registers the webhook: scheme

export interface ForwarderConfig {
  kubeconfig: string;
  sinkUri: string;
  checkpointPath: string;
  watchTimeoutSeconds: number;
  stallTimeoutMs: number;
}

/** What the bench sees of a forwarder between its own reports (it may be SIGKILLed). */
export interface ForwarderStatus {
  /** Peak RSS of the process so far (getrusage), MiB. */
  maxRssMib: number;
  phase: string;
  emitted: number;
  unacknowledged: number;
  /** Events being sent (in requests not yet answered). */
  inFlight: number;
  queueDepth: number;
  sent: number;
  deadLettered: number;
  retries: number;
  checkpointSaves: number;
  relists: number;
  reconnects: number;
  stalls: number;
  malformedLines: number;
}

const STATUS_EVERY_MS = 100;
const config = JSON.parse(process.argv[2] ?? '{}') as ForwarderConfig;
const logger = process.env.BENCH_DEBUG ? consoleLogger('info') : undefined;

const stream = new EventStream({
  kubeConfig: config.kubeconfig,
  ack: 'manual',
  checkpoint: new FileCheckpointStore(config.checkpointPath),
  watchTimeoutSeconds: config.watchTimeoutSeconds,
  stallTimeoutMs: config.stallTimeoutMs,
  ...(logger ? { logger } : {}),
});
const { sink } = await createSinkFromUri(config.sinkUri);
const forwarder = createForwarder({ stream, routes: [{ sink }], ...(logger ? { logger } : {}) });

let watching = false;
stream.onState((state) => {
  if (state.phase !== 'watching' || watching) return;
  watching = true;
  process.stdout.write('watching\n');
});
setInterval(() => {
  const { stream: s, routes, unacknowledged } = forwarder.metrics();
  const route = routes[0];
  const status: ForwarderStatus = {
    maxRssMib: process.resourceUsage().maxRSS / 1024,
    phase: s.phase,
    emitted: s.emitted,
    unacknowledged,
    inFlight: route?.inFlight ?? 0,
    queueDepth: route?.queueDepth ?? 0,
    sent: route?.sent ?? 0,
    deadLettered: route?.deadLettered ?? 0,
    retries: route?.retries ?? 0,
    checkpointSaves: s.checkpointSaves,
    relists: s.relists,
    reconnects: s.reconnects,
    stalls: s.stalls,
    malformedLines: s.malformedLines,
  };
  process.stdout.write(`${JSON.stringify(status)}\n`);
}, STATUS_EVERY_MS).unref();

const report = await forwarder.run({ stopOn: ['SIGTERM'] });
process.stdout.write(`${JSON.stringify({ report })}\n`);
process.exit(0);
