import { type KubeStatus, kubeStatus } from './status.js';
import type { WatchHub } from './watch.js';

/** How the fake classifies a request (in `requests` and for `failRequests`). */
export type RequestKind = 'list' | 'watch' | 'other';

/** Options of {@link FaultControls.failRequests}. */
export interface FailRequestsOptions {
  /** The HTTP status to answer with, with a matching Status body. */
  status: 500 | 503 | 429 | 401 | 403;
  /** How many requests to fail. @default 1 */
  times?: number;
  /** Which requests to fail. @default 'any' */
  kind?: RequestKind | 'any';
  /** Sent as `Retry-After` and `details.retryAfterSeconds`. @default 1 for 429, none otherwise */
  retryAfterSeconds?: number;
}

/** Options of {@link FaultControls.force410}. */
export interface Force410Options {
  /** 'http': an HTTP 410 Status; 'event': HTTP 200, an ERROR event with code 410, then close. */
  via: 'http' | 'event';
  /** How many watch requests to answer this way. @default 1 */
  times?: number;
}

/** Options of {@link FaultControls.trickleWatches}. */
export interface TrickleOptions {
  /** What to send, one byte at a time, repeated. @default '{"type":"ADDED","object":{"metadata":' (never a newline) */
  text?: string;
  /** Time between two bytes. @default 50 */
  intervalMs?: number;
}

/** A list answer replaced by a fault. */
export type ListFault =
  | { kind: 'endless-body'; intervalMs: number | undefined }
  | 'endless-continue'
  | 'expire-continue';

/** What the request being failed was, to word the Status like the apiserver. */
export interface RequestContext {
  kind: RequestKind;
  group: '' | 'events.k8s.io';
  namespace: string | undefined;
}

/** A failure answer: HTTP status, Status body and headers. */
export interface InjectedFailure {
  code: number;
  body: KubeStatus;
  headers: Record<string, string>;
}

const VERB: Record<RequestKind, string> = { list: 'list', watch: 'watch', other: 'get' };

function failureBody(options: FailRequestsOptions, ctx: RequestContext): KubeStatus {
  switch (options.status) {
    case 401:
      return kubeStatus(401, 'Unauthorized', 'Unauthorized');
    case 403: {
      const scope = ctx.namespace ? `in the namespace "${ctx.namespace}"` : 'at the cluster scope';
      const message = `events is forbidden: User "system:serviceaccount:default:keventer" cannot ${VERB[ctx.kind]} resource "events" in API group "${ctx.group}" ${scope}`;
      return kubeStatus(403, 'Forbidden', message, { kind: 'events' });
    }
    case 429:
      return kubeStatus(429, 'TooManyRequests', 'Too many requests, please try again later.', {
        retryAfterSeconds: options.retryAfterSeconds ?? 1,
      });
    case 503:
      return kubeStatus(
        503,
        'ServiceUnavailable',
        'the server is currently unable to handle the request',
      );
    default:
      return kubeStatus(500, 'InternalError', 'Internal error occurred: injected fault');
  }
}

interface Counted<T> {
  value: T;
  left: number;
}

/** The pending one-shot faults. Internal: the server consults it for each request. */
export class FaultState {
  private failures: Counted<FailRequestsOptions>[] = [];
  private gone: Counted<Force410Options['via']>[] = [];
  private endlessBodies: Array<number | undefined> = [];
  private expiredContinues = 0;
  /** Until reset: every list answers an empty page with a fresh continue token. */
  endlessContinue = false;

  addFailure(options: FailRequestsOptions): void {
    this.failures.push({ value: options, left: options.times ?? 1 });
  }

  addGone(options: Force410Options): void {
    this.gone.push({ value: options.via, left: options.times ?? 1 });
  }

  /** Consumes the first failure rule matching this request, if any. */
  takeFailure(ctx: RequestContext): InjectedFailure | undefined {
    const rule = this.failures.find(
      (r) => (r.value.kind ?? 'any') === 'any' || r.value.kind === ctx.kind,
    );
    if (!rule) return undefined;
    if (--rule.left <= 0) this.failures.splice(this.failures.indexOf(rule), 1);
    const body = failureBody(rule.value, ctx);
    const retryAfter = body.details?.retryAfterSeconds ?? rule.value.retryAfterSeconds;
    return {
      code: body.code,
      body,
      headers: retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
    };
  }

  /** Consumes one forced 410 for a watch request, if any. */
  takeGone(): Force410Options['via'] | undefined {
    const rule = this.gone[0];
    if (!rule) return undefined;
    if (--rule.left <= 0) this.gone.shift();
    return rule.value;
  }

  addEndlessBodies(times: number, intervalMs: number | undefined): void {
    for (let i = 0; i < times; i++) this.endlessBodies.push(intervalMs);
  }

  addExpiredContinues(times: number): void {
    this.expiredContinues += times;
  }

  /** Consumes the list fault for this request, if any. */
  takeListFault(hasContinue: boolean): ListFault | undefined {
    if (this.endlessBodies.length > 0) {
      return { kind: 'endless-body', intervalMs: this.endlessBodies.shift() };
    }
    if (hasContinue && this.expiredContinues > 0) {
      this.expiredContinues--;
      return 'expire-continue';
    }
    return this.endlessContinue ? 'endless-continue' : undefined;
  }

  clear(): void {
    this.failures = [];
    this.gone = [];
    this.endlessBodies = [];
    this.expiredContinues = 0;
    this.endlessContinue = false;
  }
}

/** Fault injection for a {@link FakeKubeApiServer}: `server.faults`. */
export class FaultControls {
  /** @internal */
  constructor(
    private readonly hub: WatchHub,
    private readonly state: FaultState,
  ) {}

  /** Destroys every open watch socket abruptly (no clean end of the chunked response). Returns how many. */
  dropConnections(): number {
    const count = this.hub.size;
    this.hub.each((watch) => watch.destroy());
    return count;
  }

  /**
   * Open watches, and those opened later, stay connected but send nothing (no
   * events, no bookmarks, no timeout end) until {@link resumeWatches}.
   */
  stallWatches(): void {
    this.hub.stall();
  }

  /** Ends a stall: every watch writes all that was held back (and ends if its timeout passed). */
  resumeWatches(): void {
    this.hub.resume();
  }

  /**
   * The next watch request(s) are answered "resourceVersion too old": an HTTP
   * 410 Status, or HTTP 200 with an ERROR event (code 410, reason Expired) then close.
   */
  force410(options: Force410Options): void {
    this.state.addGone(options);
  }

  /** The next matching request(s) are answered with a Kubernetes Status error. */
  failRequests(options: FailRequestsOptions): void {
    this.state.addFailure(options);
  }

  /** Writes a line (by default one that is not JSON; any text works) to each open watch, now. Returns how many got it. */
  sendMalformedLine(line = '{"type":"ADDED","object":{'): number {
    const count = this.hub.size;
    this.hub.each((watch) => watch.writeRaw(`${line}\n`));
    return count;
  }

  /**
   * Each open watch gets `text` one byte every `intervalMs`, repeated, until it
   * closes or {@link reset}: a server that trickles and never finishes a line.
   * Sent even while watches are stalled (stall them to keep events and
   * bookmarks out). Returns how many watches trickle.
   */
  trickleWatches({
    text = '{"type":"ADDED","object":{"metadata":',
    intervalMs = 50,
  }: TrickleOptions = {}): number {
    const count = this.hub.size;
    this.hub.each((watch) => watch.trickle(text, intervalMs));
    return count;
  }

  /**
   * Each open watch gets a line that never ends: a JSON prefix, then 'x' for
   * as long as the client reads, until it disconnects. Returns how many got it.
   */
  sendEndlessLine(): number {
    const count = this.hub.size;
    this.hub.each((watch) => watch.writeEndlessLine());
    return count;
  }

  /**
   * The next list request(s) are answered 200 with an EventList body that never
   * ends: items `{}` for as long as the client reads, or one every `intervalMs`
   * (a list that never completes).
   */
  endlessListBody({ times = 1, intervalMs }: { times?: number; intervalMs?: number } = {}): void {
    this.state.addEndlessBodies(times, intervalMs);
  }

  /** Until {@link reset}, every list request is answered with an empty page and a fresh continue token. */
  endlessContinueTokens(): void {
    this.state.endlessContinue = true;
  }

  /**
   * The next list request(s) that carry a continue token get 410 Expired, as
   * when etcd compacted the list's snapshot away between pages.
   */
  expireContinueTokens({ times = 1 }: { times?: number } = {}): void {
    this.state.addExpiredContinues(times);
  }

  /** Forgets pending failures, forced 410s and list faults, stops trickles, and ends a stall. */
  reset(): void {
    this.state.clear();
    this.hub.each((watch) => watch.stopFaults());
    if (this.hub.stalled) this.hub.resume();
  }
}
