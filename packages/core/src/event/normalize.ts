import type { InvolvedObject, KubeEvent } from './model.js';
import { parseTimeMs } from './time.js';
import type { EventApiGroup, WireEvent } from './wire.js';

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const record = (value: unknown): Json => (isRecord(value) ? value : {});

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** The range a JavaScript Date can hold. */
const MAX_TIME_MS = 8.64e15;

/** Epoch ms of a Time / MicroTime string (or an epoch number); NaN when absent or invalid. */
function timeMs(value: unknown): number {
  let ms = Number.NaN;
  if (typeof value === 'string' && value !== '') ms = parseTimeMs(value);
  // Numbers are not valid Kubernetes times, but hand-made objects carry them:
  // below 1e11 they can only be seconds.
  else if (typeof value === 'number') ms = Math.abs(value) < 1e11 ? value * 1000 : value;
  return Math.abs(ms) <= MAX_TIME_MS ? ms : Number.NaN;
}

/** The largest of the valid times, NaN when none is. */
function latest(a: number, b: number, c: number): number {
  return later(later(a, b), c); // no array: this runs for every event
}

/** The later of two times, ignoring NaN. */
const later = (a: number, b: number): number => (Number.isNaN(a) || b > a ? b : a);

/** core/v1 `Time`: RFC 3339 in UTC with whole seconds, what almost every event carries. */
const isWholeSecondUtc = (value: unknown): value is string =>
  typeof value === 'string' && value.length === 20 && value[10] === 'T' && value[19] === 'Z';

/**
 * ISO 8601 with milliseconds. `source` is the text `ms` was parsed from: a
 * whole-second UTC time is rewritten by slicing, which is several times faster
 * than a Date round trip on this hot path.
 */
function iso(ms: number, source?: unknown): string {
  if (Number.isNaN(ms)) return '';
  return isWholeSecondUtc(source) ? `${source.slice(0, 19)}.000Z` : new Date(ms).toISOString();
}

function positiveInt(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 1 ? Math.floor(n) : 0;
}

function involvedObject(ref: Json): InvolvedObject {
  return {
    kind: text(ref.kind),
    namespace: text(ref.namespace),
    name: text(ref.name),
    uid: text(ref.uid),
    apiVersion: text(ref.apiVersion),
    fieldPath: text(ref.fieldPath),
  };
}

/** Which API group an Event object was written in, by apiVersion or, failing that, by shape. */
export function detectApiGroup(obj: unknown): EventApiGroup {
  const o = record(obj);
  if (o.apiVersion === 'events.k8s.io/v1' || o.apiVersion === 'events.k8s.io/v1beta1') {
    return 'events.k8s.io/v1';
  }
  if (o.apiVersion === 'v1') return 'core/v1';
  return 'regarding' in o || 'note' in o || 'reportingController' in o
    ? 'events.k8s.io/v1'
    : 'core/v1';
}

/**
 * Turns a core/v1 or events.k8s.io/v1 Event into a {@link KubeEvent}. Never
 * throws: missing or odd fields become '' (strings), 1 (count) or fall back as
 * documented on KubeEvent.
 */
export function normalizeEvent(
  obj: unknown,
  apiGroup: EventApiGroup = detectApiGroup(obj),
): KubeEvent {
  const o = record(obj);
  const meta = record(o.metadata);
  const series = record(o.series);
  const isEventsV1 = apiGroup === 'events.k8s.io/v1';
  const source = record(isEventsV1 ? o.deprecatedSource : o.source);

  const first = isEventsV1 ? o.deprecatedFirstTimestamp : o.firstTimestamp;
  const last = isEventsV1 ? o.deprecatedLastTimestamp : o.lastTimestamp;
  const lastOwnMs = timeMs(last);
  const lastMs = latest(lastOwnMs, timeMs(series.lastObservedTime), timeMs(o.eventTime));
  let firstSource: unknown = first;
  let firstMs = timeMs(first);
  if (Number.isNaN(firstMs)) [firstMs, firstSource] = [timeMs(o.eventTime), o.eventTime];
  if (Number.isNaN(firstMs))
    [firstMs, firstSource] = [timeMs(meta.creationTimestamp), meta.creationTimestamp];
  const lastSource = lastMs === lastOwnMs ? last : undefined;
  const count = Math.max(
    positiveInt(series.count),
    positiveInt(isEventsV1 ? o.deprecatedCount : o.count),
    1,
  );

  return {
    apiGroup,
    uid: text(meta.uid),
    resourceVersion: text(meta.resourceVersion),
    namespace: text(meta.namespace),
    name: text(meta.name),
    type: text(o.type),
    reason: text(o.reason),
    message: text(isEventsV1 ? o.note : o.message),
    involvedObject: involvedObject(record(isEventsV1 ? o.regarding : o.involvedObject)),
    reportingComponent:
      text(isEventsV1 ? o.reportingController : o.reportingComponent) || text(source.component),
    reportingInstance: text(o.reportingInstance),
    host: text(source.host),
    action: text(o.action),
    count,
    firstTimestamp: iso(firstMs, firstSource),
    lastTimestamp: Number.isNaN(lastMs) ? iso(firstMs, firstSource) : iso(lastMs, lastSource),
    raw: o as WireEvent,
  };
}
