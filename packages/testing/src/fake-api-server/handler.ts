import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeConfigMaps } from './configmaps.js';
import { apiVersionOf, viewAs } from './convert.js';
import { writeEndlessly } from './endless.js';
import type { FaultState, RequestKind } from './faults.js';
import type { FakeLeases } from './leases.js';
import { listEvents } from './list.js';
import { type EventsRoute, matchEventsPath } from './routes.js';
import { type EventPredicate, requestPredicate } from './selectors.js';
import { kubeStatus, StatusError, sendJson, statusOf, tooOldStatus } from './status.js';
import { type EventStore, keyOf } from './store.js';
import { sendWatchError, type WatchHub } from './watch.js';

/** One request the server answered. */
export interface RequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  kind: RequestKind;
  status: number;
}

/** What the handler works on: the server's state. */
export interface HandlerContext {
  store: EventStore;
  hub: WatchHub;
  faults: FaultState;
  /** Every request is appended here. */
  requests: RequestRecord[];
  token: string | undefined;
  bookmarkIntervalMs: number;
  configMaps: FakeConfigMaps;
  leases: FakeLeases;
}

/**
 * Answers HTTP requests like the apiserver's Event endpoints: auth, injected
 * failures, routing, list, get and watch. Every error is a Status.
 */
export class ApiHandler {
  /** Continue tokens handed out by the endless-continue fault. */
  private continues = 0;

  constructor(private readonly ctx: HandlerContext) {}

  handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const route = matchEventsPath(url.pathname);
    const watch = ['1', 'true'].includes(url.searchParams.get('watch') ?? '');
    const kind: RequestKind = !route || route.name ? 'other' : watch ? 'watch' : 'list';
    const record: RequestRecord = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      kind,
      status: 0,
    };
    this.ctx.requests.push(record);
    try {
      this.route(req, res, url, route, kind);
    } catch (err) {
      if (res.headersSent) res.destroy();
      else sendJson(res, ...statusOf(err));
    }
    record.status = res.statusCode;
  }

  private route(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    route: EventsRoute | undefined,
    kind: RequestKind,
  ): void {
    const query = url.searchParams;
    const { token } = this.ctx;
    if (token !== undefined && req.headers.authorization !== `Bearer ${token}`) {
      throw new StatusError(kubeStatus(401, 'Unauthorized', 'Unauthorized'));
    }
    const group = route?.group === 'events.k8s.io/v1' ? 'events.k8s.io' : '';
    const failure = this.ctx.faults.takeFailure({ kind, group, namespace: route?.namespace });
    if (failure) {
      sendJson(res, failure.code, failure.body, failure.headers);
      return;
    }
    if (!route) {
      if (this.ctx.configMaps.answer(req, res, url)) return;
      if (this.ctx.leases.answer(req, res, url)) return;
      const message = 'the server could not find the requested resource';
      throw new StatusError(kubeStatus(404, 'NotFound', message));
    }
    if (req.method !== 'GET') {
      const message = 'the server does not allow this method on the requested resource';
      throw new StatusError(kubeStatus(405, 'MethodNotAllowed', message));
    }
    if (route.name !== undefined) {
      this.getOne(res, route);
      return;
    }
    const matches = requestPredicate(route.group, route.namespace, query);
    if (kind === 'list') {
      if (this.answerListFault(res, route, query)) return;
      const body = listEvents(this.ctx.store, route.group, matches, query);
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
      return;
    }
    this.openWatch(res, route, url, matches);
  }

  /** Answers a list with the pending list fault, if any; true when it did. */
  private answerListFault(
    res: ServerResponse,
    route: EventsRoute,
    query: URLSearchParams,
  ): boolean {
    const fault = this.ctx.faults.takeListFault(query.has('continue'));
    if (!fault) return false;
    const rv = String(this.ctx.store.resourceVersion);
    const head = `{"kind":"EventList","apiVersion":"${apiVersionOf(route.group)}","metadata":{"resourceVersion":"${rv}"`;
    if (fault === 'expire-continue') {
      const message =
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';
      throw new StatusError(kubeStatus(410, 'Expired', message));
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    if (typeof fault === 'object') {
      writeEndlessly(res, `${head}},"items":[`, '{},', fault.intervalMs);
      return true;
    }
    this.continues++;
    const token = Buffer.from(`endless-${this.continues}`).toString('base64url');
    res.end(`${head},"continue":"${token}"},"items":[]}`);
    return true;
  }

  private getOne(res: ServerResponse, route: EventsRoute): void {
    const found = this.ctx.store.get(keyOf(route.namespace ?? '', route.name ?? ''));
    if (!found) {
      throw new StatusError(
        kubeStatus(404, 'NotFound', `events "${route.name}" not found`, {
          kind: 'events',
          name: route.name,
        }),
      );
    }
    sendJson(res, 200, viewAs(route.group, found));
  }

  private openWatch(
    res: ServerResponse,
    route: EventsRoute,
    url: URL,
    matches: EventPredicate,
  ): void {
    const history = this.ctx.store.history;
    const query = url.searchParams;
    const rvParam = query.get('resourceVersion') ?? '';
    const fromZero = rvParam === '' || rvParam === '0';
    const rv = fromZero ? this.ctx.store.resourceVersion : Number(rvParam);
    if (!Number.isSafeInteger(rv) || rv < 0) {
      throw new StatusError(
        kubeStatus(400, 'BadRequest', `resourceVersion: Invalid value: "${rvParam}"`),
      );
    }
    const gone = this.ctx.faults.takeGone();
    const tooOld = tooOldStatus(rv, Math.max(history.oldestRv, rv + 1));
    if (gone === 'http') throw new StatusError(tooOld);
    if (gone === 'event' || rv < history.compactedRv) {
      sendWatchError(res, gone === 'event' ? tooOld : tooOldStatus(rv, history.oldestRv));
      return;
    }
    const timeoutSeconds = Number(query.get('timeoutSeconds') ?? '');
    const bookmarks = query.get('allowWatchBookmarks') === 'true';
    this.ctx.hub.open(res, {
      path: url.pathname,
      group: route.group,
      matches,
      initial: fromZero ? this.ctx.store.list() : [],
      fromRv: rv + 1,
      bookmarkIntervalMs: bookmarks ? this.ctx.bookmarkIntervalMs : undefined,
      timeoutMs: timeoutSeconds > 0 ? timeoutSeconds * 1000 : undefined,
    });
  }
}
