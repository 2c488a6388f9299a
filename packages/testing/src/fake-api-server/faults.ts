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

  clear(): void {
    this.failures = [];
    this.gone = [];
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

  /** Writes a line that is not JSON to each open watch, now. Returns how many got it. */
  sendMalformedLine(line = '{"type":"ADDED","object":{'): number {
    const count = this.hub.size;
    this.hub.each((watch) => watch.writeRaw(`${line}\n`));
    return count;
  }

  /** Forgets pending failures and forced 410s and ends a stall. */
  reset(): void {
    this.state.clear();
    if (this.hub.stalled) this.hub.resume();
  }
}
