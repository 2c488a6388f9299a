// npm run bench:faults [-- --short]: a fault soak. A forwarder (its own process,
// file checkpoint, webhook route from a kube-eventer URI) takes occurrences from
// the fake API server while the watch is cut every 2 s, a 410 forces a relist,
// the API answers 500 and 429, watches stall, a malformed and an oversized line
// arrive, the receiver answers 500 then 429 with Retry-After, and the forwarder
// is SIGTERMed once and SIGKILLed once, each time restarted. The receiver (here)
// checks every delivery. Last line:
//   faults occurrences=<n> delivered=<d> lost=<l> duplicated=<x> max_rss_mib=<r>
// Exits non-zero when anything is lost, duplicates exceed what was in flight at
// the SIGKILL, the RSS bound is passed, a fault did not happen, or time runs out.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Checkpoint } from '@keventer/core';
import { FakeKubeApiServer } from '@keventer/testing';
import { ForwarderProcess } from './faults-child.js';
import { BATCH_MAX_EVENTS, FULL, RSS_BOUND_MIB, SHORT, sinkUri } from './faults-forms.js';
import type { ForwarderStatus } from './faults-forwarder.js';
import { OccurrenceLoad } from './faults-load.js';
import { CheckingReceiver } from './faults-receiver.js';
import { exposureAt, type KillExposure, tally } from './faults-verdict.js';

const form = process.argv.includes('--short') ? SHORT : FULL;
const OVERSIZED_LINE_BYTES = 3 * 2 ** 20;
const STEADY_BEFORE_CUT_MS = 1500;
const SINK_BACKOFF_CAP_MS = 30_000;
const startedAt = performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (text: string) =>
  console.log(`[${((performance.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${text}`);

const forwarders: ForwarderProcess[] = [];
const deadline = setTimeout(() => {
  console.error(`bench:faults: the ${form.deadlineMs / 1000} s deadline passed; stopping`);
  for (const forwarder of forwarders) forwarder.kill('SIGKILL');
  process.exit(2);
}, form.deadlineMs);
deadline.unref();

/** Polls `condition` until it holds; throws naming `what` after `timeoutMs`. */
async function until(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(50);
  }
}

const dir = await mkdtemp(join(tmpdir(), 'keventer-bench-faults-'));
const server = await FakeKubeApiServer.start({ historyLimit: 1_000_000, eventTtlMs: 86_400_000 });
const kubeconfig = join(dir, 'kubeconfig');
await writeFile(kubeconfig, server.kubeconfig());
const checkpointPath = join(dir, 'checkpoint.json');
const load = new OccurrenceLoad(server, form.occurrences, form.perSecond);
load.limit = form.occurrences - form.finalOccurrences;
const receiver = await CheckingReceiver.start({
  expected: load.expected,
  maxEvents: BATCH_MAX_EVENTS,
  onDelivered: load.delivered,
});
const uri = sinkUri(receiver.url);

async function startForwarder(): Promise<ForwarderProcess> {
  const forwarder = new ForwarderProcess({
    kubeconfig,
    sinkUri: uri,
    checkpointPath,
    watchTimeoutSeconds: form.watchTimeoutSeconds,
    stallTimeoutMs: form.stallTimeoutMs,
  });
  forwarders.push(forwarder);
  await Promise.race([
    forwarder.watching,
    sleep(30_000).then(() => Promise.reject(new Error('the forwarder did not watch in 30 s'))),
  ]);
  return forwarder;
}

const apiAnswers = (status: number) => server.requests.filter((r) => r.status === status).length;

/** Waits for a fault to take effect, then for the forwarder to watch again, then a gap. */
async function met(what: string, condition: () => boolean): Promise<void> {
  await until(what, condition, 20_000);
  await until(`watching after ${what}`, () => forwarder.status?.phase === 'watching', 45_000);
  log(`${what}: met, watching again`);
  await sleep(form.stepGapMs);
}

/** Writes `line` to the open watches, retrying while the forwarder is between watches. */
async function sendLine(line: string | undefined): Promise<void> {
  await until(
    'an open watch to send a bad line to',
    () => server.faults.sendMalformedLine(line) > 0,
    10_000,
  );
}

log(
  `${form.name} form: ${form.occurrences} occurrences at ${form.perSecond}/s, webhook route ${uri.replace(/\?.*/, '')} (json_array, batch.maxEvents ${BATCH_MAX_EVENTS})`,
);
let forwarder = await startForwarder();
log('forwarder watching; load starts');
const stopLoad = new AbortController();
const loading = load.run(stopLoad.signal);
let cutsPaused = false;
let cuts = 0;
// A cut lands on a watch that has run cleanly for a while: the stream's backoff
// counter is reset only when a watch ends cleanly, so a cut right after another
// failure would continue that failure's backoff streak (up to 30 s).
const cutter = setInterval(() => {
  const steadyMs = forwarder.steadySince ? Date.now() - forwarder.steadySince : 0;
  if (!cutsPaused && steadyMs >= STEADY_BEFORE_CUT_MS) cuts += server.faults.dropConnections();
}, form.cutEveryMs);

let exposure: KillExposure = { batches: 0, occurrences: new Set() };
let killStatus: ForwarderStatus | undefined;
let sigtermExit: number | null = null;
let interrupted: string | undefined;
try {
  await sleep(form.stepGapMs);
  server.faults.force410({ via: 'event' });
  log('the next watch gets an ERROR 410 event: relist');
  await met('the relist', () => forwarder.status?.relists === 1);
  server.faults.failRequests({ status: 500, times: 3 });
  log('the API answers the next 3 requests 500');
  await met('three 500s', () => apiAnswers(500) === 3);
  server.faults.failRequests({ status: 429, times: 2, retryAfterSeconds: 1 });
  log('the API answers the next 2 requests 429 (Retry-After: 1)');
  await met('two 429s', () => apiAnswers(429) === 2);
  server.faults.force410({ via: 'http' });
  server.faults.failRequests({ status: 500, kind: 'list' });
  log('the next watch gets HTTP 410, and the relist a 500');
  await met('the second relist', () => apiAnswers(410) === 1 && apiAnswers(500) === 4);

  const stallsBefore = forwarder.status?.stalls ?? 0;
  cutsPaused = true;
  server.faults.stallWatches();
  log(
    `watches stall for ${form.stallMs / 1000} s (the stream's stall timeout is ${form.stallTimeoutMs / 1000} s)`,
  );
  await sleep(form.stallMs);
  server.faults.resumeWatches();
  cutsPaused = false;
  log(`watches resume (${forwarder.status?.stalls ?? 0} stalls detected)`);
  await met('the stall', () => (forwarder.status?.stalls ?? 0) > stallsBefore);
  await sendLine(undefined);
  log('a malformed line on the watch');
  await met('the malformed line', () => (forwarder.status?.malformedLines ?? 0) >= 1);
  await sendLine(`{"type":"ADDED","object":{"message":"${'x'.repeat(OVERSIZED_LINE_BYTES)}`);
  log(`an oversized line (${OVERSIZED_LINE_BYTES / 2 ** 20} MiB) on the watch`);
  await met('the oversized line', () => (forwarder.status?.malformedLines ?? 0) >= 2);

  receiver.fail();
  log(`the receiver answers 500 for ${form.outageMs / 1000} s`);
  await sleep(form.outageMs);
  receiver.recover(form.throttledRequests, form.retryAfterSeconds);
  log(
    `the receiver answers the next ${form.throttledRequests} requests 429 (Retry-After: ${form.retryAfterSeconds})`,
  );
  // Each retry waits the larger of the sink's backoff (doubling up to 30 s) and Retry-After.
  const retryMs = (form.throttledRequests + 1) * SINK_BACKOFF_CAP_MS + 5000;
  await until('the 429s to be met', () => !receiver.throttling, retryMs);
  const acceptedBefore = receiver.accepted.length;
  await until(
    'a delivery after the 429s',
    () => receiver.accepted.length > acceptedBefore,
    SINK_BACKOFF_CAP_MS + 5000,
  );
  log('the receiver takes deliveries again');
  await sleep(form.stepGapMs);

  forwarder.kill('SIGTERM');
  log('SIGTERM');
  const stopped = await forwarder.exited;
  sigtermExit = stopped.code;
  log(
    `the forwarder exited (${stopped.signal ?? stopped.code}) with ${forwarder.report?.undelivered ?? '?'} undelivered; restart`,
  );
  forwarder = await startForwarder();
  log(`watching; the last ${form.occurrences - load.made} occurrences at ${form.finalPerSecond}/s`);
  load.perSecond = form.finalPerSecond;
  load.limit = form.occurrences;
  await sleep(form.stepGapMs);

  // Killed as a batch reaches the receiver: that batch is delivered, its answer never read.
  const killed = forwarder;
  receiver.afterNextAccept(() => {
    killStatus = killed.status;
    killed.kill('SIGKILL');
  });
  await Promise.race([
    killed.exited,
    sleep(10_000).then(() => Promise.reject(new Error('no delivery to SIGKILL the forwarder on'))),
  ]);
  await sleep(300); // bodies already received are counted before the exposure is read
  const checkpoint = JSON.parse(await readFile(checkpointPath, 'utf8')) as Checkpoint;
  exposure = exposureAt(checkpoint, receiver.accepted);
  log(
    `SIGKILL as a batch arrived (the forwarder's last status, up to 0.1 s old: ${killStatus?.unacknowledged ?? '?'} events unacknowledged, ${killStatus?.inFlight ?? '?'} being sent); ${exposure.batches} accepted batches (${exposure.occurrences.size} occurrences) not covered by the checkpoint on disk; restart`,
  );
  forwarder = await startForwarder();

  await loading;
  log(`load done: ${load.made} occurrences (${load.recurrences} recurrences)`);
  const made = [...load.keys()];
  await until(
    'every occurrence at the receiver',
    () => made.every((key) => receiver.deliveries.has(key)),
    form.catchUpMs,
  );
  log('every occurrence arrived');
  await sleep(1000); // late repeats, if any, are counted too
} catch (error) {
  interrupted = (error as Error).message;
  log(`soak interrupted: ${interrupted}`);
} finally {
  stopLoad.abort();
  clearInterval(cutter);
  forwarder.kill('SIGTERM');
  await Promise.race([forwarder.exited, sleep(35_000)]);
  for (const child of forwarders) child.kill('SIGKILL');
}

const result = tally(load.keys(), receiver.deliveries, exposure.occurrences);
const bound = BATCH_MAX_EVENTS * exposure.batches;
const maxRss = Math.max(...forwarders.map((f) => f.maxRssMib));
const sum = (field: keyof ForwarderStatus) =>
  forwarders.reduce((total, f) => total + Number(f.status?.[field] ?? 0), 0);
const faults = {
  cuts,
  relists: sum('relists'),
  stalls: sum('stalls'),
  malformedLines: sum('malformedLines'),
  api500: apiAnswers(500),
  api429: apiAnswers(429),
  api410: apiAnswers(410),
  receiver500: receiver.answered500,
  receiver429: receiver.answered429,
};
console.log(
  `faults met: ${Object.entries(faults)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}; ${forwarders.length} forwarder processes, SIGTERM exit ${sigtermExit}`,
);
console.log(
  `duplicates: ${result.duplicated} (bound ${bound} = batch.maxEvents ${BATCH_MAX_EVENTS} x ${exposure.batches} batches in flight at the SIGKILL, i.e. not covered by the checkpoint on disk: ${exposure.occurrences.size} occurrences); ${result.unexplained} not explained by the SIGKILL`,
);
if (result.lost > 0) console.log(`lost, for example: ${result.lostExamples.join(' ')}`);
if (receiver.badDeliveries > 0)
  console.log(
    `${receiver.badDeliveries} bad deliveries, for example: ${receiver.problems.join('; ')}`,
  );

const failures = [
  interrupted !== undefined && `interrupted (${interrupted})`,
  result.lost > 0 && `${result.lost} occurrences lost`,
  result.occurrences < form.occurrences &&
    `only ${result.occurrences} of ${form.occurrences} occurrences made`,
  result.duplicated > bound && `${result.duplicated} duplicates over the bound of ${bound}`,
  result.unexplained > 0 && `${result.unexplained} duplicates the SIGKILL does not explain`,
  receiver.badDeliveries > 0 && `${receiver.badDeliveries} bad deliveries`,
  !(maxRss < RSS_BOUND_MIB) &&
    `peak RSS ${maxRss.toFixed(0)} MiB over the ${RSS_BOUND_MIB} MiB bound`,
  sigtermExit !== 0 && `the SIGTERMed forwarder exited with ${sigtermExit}`,
  faults.relists < 2 && 'fewer than 2 relists',
  faults.stalls < 1 && 'no stall detected',
  faults.malformedLines < 2 && 'fewer than 2 malformed lines counted',
  faults.api500 < 4 && 'fewer than 4 API 500s answered',
  faults.api429 < 2 && 'fewer than 2 API 429s answered',
  faults.receiver500 < 1 && 'no receiver 500 answered',
  faults.receiver429 < form.throttledRequests && 'not every receiver 429 answered',
].filter((failure): failure is string => typeof failure === 'string');
if (failures.length > 0) console.log(`FAILED: ${failures.join('; ')}`);
console.log(
  `faults occurrences=${result.occurrences} delivered=${result.delivered} lost=${result.lost} duplicated=${result.duplicated} max_rss_mib=${maxRss.toFixed(0)}`,
);
await receiver.close();
await server.close();
await rm(dir, { recursive: true, force: true });
process.exit(failures.length > 0 ? 1 : 0);
