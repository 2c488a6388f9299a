import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { CoreV1EventObject, EventsV1EventObject } from '@keventer/core';
import { kubeMicroTime, kubeTime, parseKubeTime } from '../time.js';
import { FakeConfigMaps } from './configmaps.js';
import { normalizeToCoreV1 } from './convert.js';
import { FaultControls, FaultState } from './faults.js';
import { ApiHandler, type RequestRecord } from './handler.js';
import { renderKubeconfig } from './kubeconfig.js';
import { FakeLeases } from './leases.js';
import { EventStore, keyOf } from './store.js';
import { selfSignedCertificate, type TlsIdentity, writeServiceAccountDir } from './tls.js';
import { WatchHub, type WatchInfo } from './watch.js';

/** Options of {@link FakeKubeApiServer.start}. */
export interface FakeKubeApiServerOptions {
  /** When set, every request must carry `Authorization: Bearer <token>`, else 401. @default none (no auth) */
  token?: string;
  /** BOOKMARK cadence for watches with `allowWatchBookmarks=true`. @default 1000 */
  bookmarkIntervalMs?: number;
  /** How many changes are kept for watches and paginated lists; older resourceVersions get 410. @default 1000 */
  historyLimit?: number;
  /**
   * Events expire (are deleted, with a DELETED watch event) this long after the
   * later of their creation and their last occurrence (lastTimestamp,
   * series.lastObservedTime, eventTime). 0 or Infinity disables the timer. @default 3_600_000 (1 hour)
   */
  eventTtlMs?: number;
  /** The resourceVersion before the first change. @default 1 */
  startResourceVersion?: number;
  /**
   * Serve HTTPS, as a real API server does: `true` for a self-signed
   * certificate for 127.0.0.1 (see {@link FakeKubeApiServer.ca}), or your own. @default false
   */
  tls?: boolean | TlsIdentity;
}

/** Options of {@link FakeKubeApiServer.recurEvent}. */
export interface RecurOptions {
  /** A new message for this occurrence. */
  message?: string;
  /** When it occurred. @default now */
  at?: Date;
}

type EventInput = CoreV1EventObject | EventsV1EventObject;
type EventPatch = Partial<CoreV1EventObject> | ((draft: CoreV1EventObject) => void);

const DEFAULT_TTL_MS = 3_600_000;
const clone = <T>(value: T): T => structuredClone(value);

/**
 * A fake Kubernetes API server for Events on 127.0.0.1 (real HTTP, random
 * port): list with consistent pagination, watch with bookmarks, selectors,
 * both API groups, event TTL, and fault injection.
 */
export class FakeKubeApiServer {
  /** Every request answered, in order. */
  readonly requests: RequestRecord[] = [];
  /** Fault injection. */
  readonly faults: FaultControls;
  /** ConfigMaps served under `/api/v1/namespaces/{ns}/configmaps` (sink templates). */
  readonly configMaps = new FakeConfigMaps();
  /** Leases served under `/apis/coordination.k8s.io/v1/namespaces/{ns}/leases` (leader election). */
  readonly leases = new FakeLeases();
  private readonly store: EventStore;
  private readonly hub: WatchHub;
  private readonly ttlMs: number;
  private ttlTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  private port = 0;
  /** The certificate served with `tls`, which is its own CA; undefined over plain HTTP. */
  readonly ca: string | undefined;

  private constructor(
    private readonly http: Server,
    private readonly options: FakeKubeApiServerOptions,
    tls: TlsIdentity | undefined,
  ) {
    this.ca = tls?.cert;
    this.store = new EventStore(
      options.historyLimit ?? 1000,
      options.startResourceVersion ?? 1,
      () => this.hub.notify(),
    );
    this.hub = new WatchHub(this.store.history);
    const faultState = new FaultState();
    this.faults = new FaultControls(this.hub, faultState);
    this.ttlMs = options.eventTtlMs ?? DEFAULT_TTL_MS;
    if (this.ttlMs > 0 && Number.isFinite(this.ttlMs)) {
      const every = Math.min(60_000, Math.max(10, this.ttlMs / 10));
      this.ttlTimer = setInterval(() => this.expireEvents(), every).unref();
    }
    const handler = new ApiHandler({
      store: this.store,
      hub: this.hub,
      faults: faultState,
      requests: this.requests,
      token: options.token,
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 1000,
      configMaps: this.configMaps,
      leases: this.leases,
    });
    http.on('request', (req, res) => handler.handle(req, res));
  }

  /** Starts a server on 127.0.0.1 with a random port. */
  static async start(options: FakeKubeApiServerOptions = {}): Promise<FakeKubeApiServer> {
    const tls = options.tls === true ? selfSignedCertificate() : options.tls || undefined;
    const http = tls ? createTlsServer({ cert: tls.cert, key: tls.key }) : createServer();
    const server = new FakeKubeApiServer(http, options, tls);
    await new Promise<void>((resolve, reject) => {
      server.http.once('error', reject);
      server.http.listen(0, '127.0.0.1', resolve);
    });
    server.port = (server.http.address() as AddressInfo).port;
    return server;
  }

  /** `http://127.0.0.1:PORT`, or `https://` with `tls`. */
  get url(): string {
    return `${this.ca === undefined ? 'http' : 'https'}://127.0.0.1:${this.port}`;
  }

  /**
   * A folder like a pod's service-account mount (token, ca.crt, namespace) for
   * this server, for core's `inClusterConfig({ serviceAccountDir, server: url })`.
   * Needs `tls`: in a pod the API server is always HTTPS.
   */
  serviceAccountDir(namespace = 'default'): string {
    if (this.ca === undefined)
      throw new Error('serviceAccountDir() needs a server started with tls');
    return writeServiceAccountDir({ token: this.options.token ?? 'fake', ca: this.ca, namespace });
  }

  /** The current resourceVersion. */
  get resourceVersion(): string {
    return String(this.store.resourceVersion);
  }

  /** How many watches are open. */
  get openWatches(): number {
    return this.hub.size;
  }

  /** A snapshot of each open watch: what it has sent, what it still owes, how much is buffered. */
  get watches(): WatchInfo[] {
    return this.hub.info;
  }

  /** A kubeconfig YAML (context 'fake') for @kubernetes/client-node or kubectl. */
  kubeconfig(): string {
    return renderKubeconfig({ server: this.url, token: this.options.token ?? 'fake', ca: this.ca });
  }

  /** Writes {@link kubeconfig} to a file (mode 0600); returns the path. */
  async writeKubeconfig(path: string): Promise<string> {
    await writeFile(path, this.kubeconfig(), { mode: 0o600 });
    return path;
  }

  /**
   * Stores an Event given in either API group's form. Fills namespace
   * (from the involved object, else 'default'), name (`<object>.<hex>`), uid,
   * creationTimestamp and resourceVersion. Returns the stored core/v1 object.
   */
  createEvent(obj: EventInput): CoreV1EventObject {
    return clone(this.store.create(normalizeToCoreV1(obj)));
  }

  /** {@link createEvent} for many, in order. */
  createEvents(objs: readonly EventInput[]): CoreV1EventObject[] {
    return objs.map((obj) => this.createEvent(obj));
  }

  /** Changes a stored Event (a shallow patch, or a function that edits a draft); watches see MODIFIED. */
  updateEvent(namespace: string, name: string, patch: EventPatch): CoreV1EventObject {
    const key = keyOf(namespace, name);
    const current = this.store.get(key);
    if (!current) throw new Error(`events "${name}" not found in namespace "${namespace}"`);
    let next: CoreV1EventObject;
    if (typeof patch === 'function') {
      next = clone(current);
      patch(next);
    } else {
      next = { ...current, ...patch, metadata: { ...current.metadata, ...patch.metadata } };
    }
    return clone(this.store.replace(key, next));
  }

  /**
   * Records one more occurrence of a stored Event, as recorders do: count + 1
   * and lastTimestamp = `at` (and series.count + 1 when it has a series). An
   * events.k8s.io-style Event (eventTime set, no count) gets only its series
   * updated: count + 1 (2 for the first repeat) and lastObservedTime.
   */
  recurEvent(namespace: string, name: string, options: RecurOptions = {}): CoreV1EventObject {
    const at = options.at ?? new Date();
    return this.updateEvent(namespace, name, (e) => {
      if (options.message !== undefined) e.message = options.message;
      const seriesOnly = !!e.eventTime && !(Number(e.count ?? 0) > 0);
      if (e.series || seriesOnly) {
        e.series = { count: Number(e.series?.count ?? 1) + 1, lastObservedTime: kubeMicroTime(at) };
      }
      if (!seriesOnly) {
        e.count = Number(e.count ?? 1) + 1;
        e.lastTimestamp = kubeTime(at);
      }
    });
  }

  /** Deletes a stored Event (watches see DELETED); returns its last state, or undefined. */
  deleteEvent(namespace: string, name: string): CoreV1EventObject | undefined {
    const deleted = this.store.delete(keyOf(namespace, name));
    return deleted && clone(deleted);
  }

  /** Applies the TTL as of `now`: deletes the expired Events; returns how many. */
  expireEvents(now: Date = new Date()): number {
    if (!(this.ttlMs > 0) || !Number.isFinite(this.ttlMs)) return 0;
    const cutoff = now.getTime() - this.ttlMs;
    let expired = 0;
    for (const e of this.store.list()) {
      const seen = Math.max(
        ...[e.lastTimestamp, e.series?.lastObservedTime, e.eventTime, e.metadata?.creationTimestamp]
          .map(parseKubeTime)
          .filter((ms) => !Number.isNaN(ms)),
      );
      if (seen <= cutoff && this.deleteEvent(e.metadata?.namespace ?? '', e.metadata?.name ?? '')) {
        expired++;
      }
    }
    return expired;
  }

  /** The stored Events (core/v1), in key order. */
  listEvents(): CoreV1EventObject[] {
    return this.store.list().map(clone);
  }

  /**
   * Resolves when every open watch has written all queued changes to its
   * socket, i.e. each client has read enough to catch up. Watches held back by
   * `faults.stallWatches()` are not waited for. Await it between batches to
   * produce as fast as clients read: a synchronous burst larger than
   * `historyLimit` overtakes the watches (they get ERROR 410).
   */
  flushed(): Promise<void> {
    return this.hub.flushed();
  }

  /** Stops the server: destroys open watches and connections. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      clearInterval(this.ttlTimer);
      this.hub.each((watch) => watch.destroy());
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
    return this.closing;
  }
}
