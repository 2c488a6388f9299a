// The soak's two forms: the full one (10,000 occurrences, a 30 s receiver
// outage) and the short one CI runs (`-- --short`): the same faults in the
// same order, fewer occurrences and shorter waits.

export interface SoakForm {
  name: 'full' | 'short';
  occurrences: number;
  /** The load's pace through the faults. */
  perSecond: number;
  /** The load holds this many back until the forwarder restarted after the SIGTERM... */
  finalOccurrences: number;
  /** ...and makes them at this pace, the SIGKILL in their midst. */
  finalPerSecond: number;
  /** The watch is cut (its socket destroyed) this often, except during the stall. */
  cutEveryMs: number;
  /** After a fault took effect and the forwarder watches again: the pause before the next. */
  stepGapMs: number;
  /** The forwarder's stream: the server ends watches after this long... */
  watchTimeoutSeconds: number;
  /** ...and a watch silent this long counts as stalled. */
  stallTimeoutMs: number;
  /** How long watches stall; more than stallTimeoutMs, so the stream notices. */
  stallMs: number;
  /** The receiver answers 500 this long... */
  outageMs: number;
  /** ...then 429 with Retry-After to this many requests. */
  throttledRequests: number;
  retryAfterSeconds: number;
  /** After the load: how long every occurrence may take to arrive. */
  catchUpMs: number;
  /** The whole run; past it the children are killed and the bench fails. */
  deadlineMs: number;
}

export const FULL: SoakForm = {
  name: 'full',
  occurrences: 10_000,
  perSecond: 60,
  finalOccurrences: 2000,
  finalPerSecond: 200,
  cutEveryMs: 2000,
  stepGapMs: 2000,
  watchTimeoutSeconds: 1,
  stallTimeoutMs: 2000,
  stallMs: 5000,
  outageMs: 30_000,
  throttledRequests: 2,
  retryAfterSeconds: 2,
  catchUpMs: 60_000,
  deadlineMs: 300_000,
};

export const SHORT: SoakForm = {
  name: 'short',
  occurrences: 2000,
  perSecond: 40,
  finalOccurrences: 400,
  finalPerSecond: 100,
  cutEveryMs: 2000,
  stepGapMs: 1000,
  watchTimeoutSeconds: 1,
  stallTimeoutMs: 2000,
  stallMs: 3000,
  outageMs: 5000,
  throttledRequests: 1,
  retryAfterSeconds: 1,
  catchUpMs: 20_000,
  deadlineMs: 110_000,
};

/** Batches of up to this many events; the duplicate bound is counted in them. */
export const BATCH_MAX_EVENTS = 100;
/** The forwarder's peak RSS (Node's default heap flags) must stay under this. */
export const RSS_BOUND_MIB = 256;
/** The body of one occurrence: enough for the receiver to check it and to place it in the watch. */
export const TEMPLATE =
  '{"uid":"{{ uid }}","count":{{ count }},"rv":"{{ resourceVersion }}","message":"{{ .Message }}"}';

/** The route as a user would write it: kube-eventer's webhook URI with keventer's options. */
export function sinkUri(receiverUrl: string): string {
  const template = encodeURIComponent(TEMPLATE);
  return `webhook:${receiverUrl}?body_format=json_array&batch.maxEvents=${BATCH_MAX_EVENTS}&template=${template}`;
}
