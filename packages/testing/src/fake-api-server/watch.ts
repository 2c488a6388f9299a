import type { ServerResponse } from 'node:http';
import type { CoreV1EventObject, EventApiGroup } from '@keventer/core';
import { apiVersionOf, objectJson } from './convert.js';
import { writeEndlessly } from './endless.js';
import type { ChangeHistory, ChangeRecord, ChangeType } from './history.js';
import type { EventPredicate } from './selectors.js';
import { type KubeStatus, tooOldStatus } from './status.js';

/** The most text one write to a watch socket carries. */
const WRITE_BATCH_BYTES = 64 * 1024;

/** A snapshot of one open watch, for tests and debugging. */
export interface WatchInfo {
  /** The request path, e.g. `/api/v1/events`. */
  path: string;
  apiGroup: EventApiGroup;
  /** The resourceVersion up to which changes have been handed to the socket. */
  sentResourceVersion: string;
  /** Changes (and initial objects) not yet written, because the client is not reading fast enough or the watch is stalled. */
  pending: number;
  /** Bytes written to the response but not yet taken by the kernel. */
  bufferedBytes: number;
  /** True while the server waits for 'drain' before writing more. */
  waitingForDrain: boolean;
}

/** What one watch request asked for. */
export interface WatchRequest {
  /** The request path (for {@link WatchInfo}). */
  path: string;
  group: EventApiGroup;
  matches: EventPredicate;
  /** Objects sent as synthetic ADDED first (a watch without resourceVersion, or with '0'). */
  initial: CoreV1EventObject[];
  /** The first change to send: the requested resourceVersion + 1. */
  fromRv: number;
  /** Send BOOKMARKs every `bookmarkIntervalMs` (allowWatchBookmarks=true). */
  bookmarkIntervalMs: number | undefined;
  /** End the response after this long (timeoutSeconds). */
  timeoutMs: number | undefined;
}

const WATCH_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-cache, private' };

/** Answers a watch with HTTP 200, one ERROR event carrying `status`, then closes, like the apiserver. */
export function sendWatchError(res: ServerResponse, status: KubeStatus): void {
  res.writeHead(200, WATCH_HEADERS);
  res.end(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
}

const lineCache = new WeakMap<ChangeRecord, Map<string, string>>();

/** The watch line of a change, serialized once per API group and type. */
function changeLine(group: EventApiGroup, type: ChangeType, record: ChangeRecord): string {
  let lines = lineCache.get(record);
  if (!lines) {
    lines = new Map();
    lineCache.set(record, lines);
  }
  const cacheKey = `${group} ${type}`;
  let line = lines.get(cacheKey);
  if (line === undefined) {
    line = `{"type":"${type}","object":${objectJson(group, record.object)}}\n`;
    lines.set(cacheKey, line);
  }
  return line;
}

/** How a change looks through a selector: objects moving in or out become ADDED or DELETED. */
function visibleType(record: ChangeRecord, matches: EventPredicate): ChangeType | undefined {
  const now = matches(record.object);
  if (record.type !== 'MODIFIED') return now ? record.type : undefined;
  const before = record.previous !== undefined && matches(record.previous);
  if (now) return before ? 'MODIFIED' : 'ADDED';
  return before ? 'DELETED' : undefined;
}

/**
 * One open watch. It reads the shared change history through its own cursor
 * and writes only while the socket accepts data: when `res.write` returns
 * false it waits for 'drain', so a slow client costs one socket buffer, not a
 * growing queue. If the cursor falls out of the history it gets ERROR 410.
 */
export class WatchConnection {
  private nextRv: number;
  private initial: CoreV1EventObject[];
  private initialIndex = 0;
  private waitingDrain = false;
  private timedOut = false;
  private closed = false;
  private readonly timers: NodeJS.Timeout[] = [];
  /** Stops the trickle or endless line of a fault. */
  private stopFault: (() => void) | undefined;

  constructor(
    private readonly hub: WatchHub,
    private readonly res: ServerResponse,
    private readonly request: WatchRequest,
  ) {
    this.nextRv = request.fromRv;
    this.initial = request.initial;
    res.on('close', () => this.dispose());
    res.on('error', () => this.dispose());
    res.writeHead(200, WATCH_HEADERS);
    res.flushHeaders();
    if (request.timeoutMs !== undefined) {
      this.timers.push(setTimeout(() => this.onTimeout(), request.timeoutMs).unref());
    }
    if (request.bookmarkIntervalMs !== undefined) {
      this.timers.push(setInterval(() => this.bookmark(), request.bookmarkIntervalMs).unref());
    }
  }

  private get history(): ChangeHistory {
    return this.hub.history;
  }

  private get caughtUp(): boolean {
    return this.initialIndex >= this.initial.length && this.nextRv > this.history.latestRv;
  }

  /** True when this watch has nothing left to write (or is closed, or held back by a stall). */
  get idle(): boolean {
    return this.closed || this.hub.stalled || (!this.waitingDrain && this.caughtUp);
  }

  get info(): WatchInfo {
    return {
      path: this.request.path,
      apiGroup: this.request.group,
      sentResourceVersion: String(this.nextRv - 1),
      pending:
        this.initial.length -
        this.initialIndex +
        Math.max(0, this.history.latestRv - this.nextRv + 1),
      bufferedBytes: this.res.writableLength,
      waitingForDrain: this.waitingDrain,
    };
  }

  /** Writes what is due, until caught up or the socket pushes back. */
  pump(): void {
    if (this.closed || this.waitingDrain || this.hub.stalled) return;
    // Lines go out in writes of up to WRITE_BATCH_BYTES: one chunk per event
    // would cost a syscall and a client-side 'data' event each.
    let batch = '';
    for (;;) {
      let line: string | undefined;
      if (this.initialIndex < this.initial.length) {
        const obj = this.initial[this.initialIndex++] as CoreV1EventObject;
        if (!this.request.matches(obj)) continue;
        line = `{"type":"ADDED","object":${objectJson(this.request.group, obj)}}\n`;
      } else {
        if (this.nextRv <= this.history.compactedRv) {
          this.fail(tooOldStatus(this.nextRv - 1, this.history.oldestRv));
          return;
        }
        const record = this.history.at(this.nextRv);
        if (!record) break;
        this.nextRv++;
        const type = visibleType(record, this.request.matches);
        if (!type) continue;
        line = changeLine(this.request.group, type, record);
      }
      batch += line;
      if (batch.length >= WRITE_BATCH_BYTES) {
        const accepted = this.write(batch);
        batch = '';
        if (!accepted) return;
      }
    }
    if (batch !== '' && !this.write(batch)) return;
    this.initial = [];
    this.initialIndex = 0;
    if (this.timedOut) this.end();
  }

  /** Writes raw text now, ignoring backpressure (fault injection). */
  writeRaw(text: string): void {
    if (!this.closed) this.res.write(text);
  }

  /** Writes `text` one byte every `intervalMs`, repeated, ignoring stalls (fault injection). */
  trickle(text: string, intervalMs: number): void {
    this.stopFaults();
    const bytes = Buffer.from(text);
    let next = 0;
    const timer = setInterval(() => {
      if (!this.closed) this.res.write(bytes.subarray(next, next + 1));
      next = (next + 1) % bytes.length;
    }, intervalMs).unref();
    this.stopFault = () => clearInterval(timer);
  }

  /** Writes a line that never ends, as fast as the client reads (fault injection). */
  writeEndlessLine(): void {
    this.stopFaults();
    if (!this.closed) {
      this.stopFault = writeEndlessly(this.res, '{"type":"ADDED","object":{"message":"', 'x');
    }
  }

  stopFaults(): void {
    this.stopFault?.();
    this.stopFault = undefined;
  }

  /** Ends the response cleanly. */
  end(): void {
    if (this.closed) return;
    this.res.end();
    this.dispose();
  }

  /** Destroys the socket abruptly. */
  destroy(): void {
    if (this.closed) return;
    this.res.destroy();
    this.dispose();
  }

  private write(line: string): boolean {
    if (this.res.write(line)) return true;
    this.waitingDrain = true;
    this.res.once('drain', () => {
      this.waitingDrain = false;
      this.pump();
      this.hub.checkFlushed();
    });
    return false;
  }

  private bookmark(): void {
    if (this.closed || this.hub.stalled || this.waitingDrain || !this.caughtUp) return;
    const object = {
      kind: 'Event',
      apiVersion: apiVersionOf(this.request.group),
      metadata: { resourceVersion: String(this.nextRv - 1) },
    };
    this.write(`${JSON.stringify({ type: 'BOOKMARK', object })}\n`);
  }

  private onTimeout(): void {
    this.timedOut = true;
    if (!this.hub.stalled) this.end();
  }

  private fail(status: KubeStatus): void {
    this.res.write(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
    this.end();
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.stopFaults();
    this.hub.remove(this);
  }
}

/** All open watches of a server: fans out changes, stalls and resumes them, tracks flushing. */
export class WatchHub {
  private readonly watches = new Set<WatchConnection>();
  private waiters: (() => void)[] = [];
  /** While true, watches write nothing (no events, no bookmarks, no timeout end). */
  stalled = false;

  constructor(readonly history: ChangeHistory) {}

  get size(): number {
    return this.watches.size;
  }

  get info(): WatchInfo[] {
    return [...this.watches].map((watch) => watch.info);
  }

  /** Starts streaming a watch on `res`. */
  open(res: ServerResponse, request: WatchRequest): WatchConnection {
    const watch = new WatchConnection(this, res, request);
    this.watches.add(watch);
    watch.pump();
    return watch;
  }

  /** Called after every change: each watch writes what it can. */
  notify(): void {
    for (const watch of this.watches) watch.pump();
    this.checkFlushed();
  }

  stall(): void {
    this.stalled = true;
  }

  resume(): void {
    this.stalled = false;
    this.notify();
  }

  /** Applies `fn` to every open watch. */
  each(fn: (watch: WatchConnection) => void): void {
    for (const watch of [...this.watches]) fn(watch);
  }

  remove(watch: WatchConnection): void {
    this.watches.delete(watch);
    this.checkFlushed();
  }

  /** Resolves when every open watch (not held back by a stall) has written all it owes. */
  flushed(): Promise<void> {
    if (this.allIdle()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  checkFlushed(): void {
    if (this.waiters.length === 0 || !this.allIdle()) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private allIdle(): boolean {
    for (const watch of this.watches) if (!watch.idle) return false;
    return true;
  }
}
