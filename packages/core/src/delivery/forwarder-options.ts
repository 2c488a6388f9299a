import { checkLogger } from '../logger.js';
import { hasMethods, isRecord, OptionProblems } from '../options-check.js';
import { SinkConfigError } from '../sink/contract/errors.js';
import { resolveDeliverySettings } from './settings/resolve.js';

// setTimeout fires at once for delays above this (about 24.8 days).
const MAX_TIMER_MS = 2_147_483_647;

const FORWARDER_KEYS = [
  'stream',
  'routes',
  'drainTimeoutMs',
  'checkpointDelayMs',
  'health',
  'logger',
] as const;
const ROUTE_KEYS = [
  'name',
  'sink',
  'filter',
  'dedup',
  'delivery',
  'aggregateKey',
  'onDeadLetter',
] as const;
const HEALTH_KEYS = ['streamDownMs', 'sinkFailingMs'] as const;
const STREAM_METHODS = ['ack', 'saveCheckpoint', 'stop', 'onState'] as const;

/**
 * Checks createForwarder's options, and each route's, where they are given:
 * one OptionsError lists every problem, by path (`routes[1].sink.write`) and
 * value, instead of a crash later on the first one used.
 */
export function checkForwarderOptions(options: unknown): void {
  const problems = new OptionProblems('createForwarder');
  if (!isRecord(options)) {
    problems.add('options', options, 'an object with stream and routes');
    problems.throwIfAny();
    return;
  }
  problems.unknownKeys('', options, FORWARDER_KEYS);
  checkStream(options.stream, problems);
  checkRoutes(options.routes, problems);
  for (const key of ['drainTimeoutMs', 'checkpointDelayMs'] as const) {
    const value = options[key];
    if (value !== undefined && !isTimerMs(value)) {
      problems.add(key, value, `a number of milliseconds from 0 to ${MAX_TIMER_MS}`);
    }
  }
  checkHealth(options.health, problems);
  checkLogger('logger', options.logger, problems);
  problems.throwIfAny();
}

function checkStream(stream: unknown, problems: OptionProblems): void {
  const isStream =
    hasMethods(stream, STREAM_METHODS) &&
    typeof (stream as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
  if (!isStream) {
    problems.add('stream', stream, "an EventStream (new EventStream({ ack: 'manual', ... }))");
  } else if ((stream as { ackMode?: unknown }).ackMode !== 'manual') {
    problems.note(
      "stream: createForwarder needs an EventStream created with ack: 'manual': otherwise its checkpoint would move past events not yet delivered",
    );
  }
}

function checkRoutes(routes: unknown, problems: OptionProblems): void {
  if (!Array.isArray(routes) || routes.length === 0) {
    problems.add('routes', routes, 'an array of at least one route ({ sink, ... })');
    return;
  }
  const names: string[] = [];
  routes.forEach((route: unknown, i) => {
    const name = checkRoute(`routes[${i}]`, route, problems);
    if (name !== undefined) names.push(name);
  });
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) {
    problems.note(
      `two routes are named '${twice}': give each route a distinct name (stats and metrics are labelled by it)`,
    );
  }
}

/** Returns the route's name when it has one (its own or its sink's). */
function checkRoute(path: string, route: unknown, problems: OptionProblems): string | undefined {
  if (!isRecord(route)) {
    problems.add(path, route, 'a route object ({ sink, filter?, delivery?, ... })');
    return undefined;
  }
  problems.unknownKeys(path, route, ROUTE_KEYS);
  const sinkOk = checkSink(`${path}.sink`, route.sink, problems);
  if (route.name !== undefined && !isName(route.name)) {
    problems.add(`${path}.name`, route.name, 'a non-empty string');
  }
  for (const key of ['filter', 'aggregateKey', 'onDeadLetter'] as const) {
    const value = route[key];
    if (value === undefined || typeof value === 'function') continue;
    const hint =
      key === 'filter' && isRecord(value) ? '; build one from a spec with createFilter(spec)' : '';
    problems.add(`${path}.${key}`, value, 'a function', hint);
  }
  if (route.dedup !== undefined && !hasMethods(route.dedup, ['accept'])) {
    const hint = isRecord(route.dedup) ? '; make one from options with createDedup(options)' : '';
    problems.add(`${path}.dedup`, route.dedup, 'a Dedup (createDedup(...))', hint);
  }
  if (!sinkOk) return isName(route.name) ? route.name : undefined;
  const sink = route.sink as { name: string; delivery?: { uri?: unknown; defaults?: unknown } };
  checkDelivery(path, route, sink, problems);
  return isName(route.name) ? route.name : sink.name;
}

function checkSink(path: string, sink: unknown, problems: OptionProblems): boolean {
  if (typeof sink === 'string') {
    problems.add(path, sink, 'a Sink', '; make one from a URI with await createSinkFromUri(uri)');
    return false;
  }
  if (typeof sink === 'function') {
    problems.add(path, sink, 'a Sink', '; a sink definition must be called with its options first');
    return false;
  }
  if (!isRecord(sink)) {
    problems.add(path, sink, 'a Sink ({ name, write(batch, ctx) })');
    return false;
  }
  let ok = true;
  if (!isName(sink.name)) {
    problems.add(`${path}.name`, sink.name, 'a non-empty string');
    ok = false;
  }
  if (typeof sink.write !== 'function') {
    problems.add(`${path}.write`, sink.write, 'a function (batch, ctx) => Promise<void>');
    ok = false;
  }
  for (const key of ['close', 'filter'] as const) {
    if (sink[key] !== undefined && typeof sink[key] !== 'function') {
      problems.add(`${path}.${key}`, sink[key], 'a function');
    }
  }
  if (sink.delivery !== undefined && !isRecord(sink.delivery)) {
    problems.add(`${path}.delivery`, sink.delivery, 'an object ({ defaults?, uri? })');
    ok = false;
  }
  return ok;
}

// The same resolution the route makes, for its problems only: each is listed
// under the route, with the others, instead of thrown alone later.
function checkDelivery(
  path: string,
  route: Record<string, unknown>,
  sink: { name: string; delivery?: { uri?: unknown; defaults?: unknown } },
  problems: OptionProblems,
): void {
  const uri = sink.delivery?.uri;
  const sinkDefaults = sink.delivery?.defaults;
  if (uri !== undefined && !isStringRecord(uri)) {
    problems.add(
      `${path}.sink.delivery.uri`,
      uri,
      "an object of strings ({ 'batch.maxEvents': '10' })",
    );
    return;
  }
  try {
    resolveDeliverySettings({
      sink: sink.name,
      ...(route.delivery !== undefined ? { explicit: route.delivery as object } : {}),
      ...(uri !== undefined ? { uri } : {}),
      ...(sinkDefaults !== undefined ? { sinkDefaults: sinkDefaults as object } : {}),
    });
  } catch (error) {
    if (!(error instanceof SinkConfigError)) throw error;
    for (const problem of error.problems) problems.note(`${path}.delivery: ${problem}`);
  }
}

function checkHealth(health: unknown, problems: OptionProblems): void {
  if (health === undefined) return;
  if (!isRecord(health)) {
    problems.add('health', health, 'an object ({ streamDownMs?, sinkFailingMs? })');
    return;
  }
  problems.unknownKeys('health', health, HEALTH_KEYS);
  for (const key of HEALTH_KEYS) {
    const value = health[key];
    if (value !== undefined && !(typeof value === 'number' && value > 0)) {
      problems.add(`health.${key}`, value, 'a number of milliseconds > 0 (Infinity: never)');
    }
  }
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isTimerMs(value: unknown): boolean {
  return typeof value === 'number' && value >= 0 && value <= MAX_TIMER_MS;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((v) => typeof v === 'string');
}
