import {
  createDedup,
  createFilter,
  type DedupOptions,
  type DeliveryInput,
  type FilterSpec,
  parseDurationMs,
  resolveDeliverySettings,
} from '@keventer/core';
import type { RoutePlan, SinkSpec } from '../plan.js';
import type { CheckedConfig, CheckpointSection, SourceSection } from './config-types.js';
import type { ConfigPath, ConfigProblem } from './problems.js';

const TOP_KEYS = [
  'source',
  'routes',
  'checkpoint',
  'leaderElection',
  'log',
  'healthz',
  'eventMetrics',
  'drainTimeout',
  'health',
] as const;
const SOURCE_KEYS = [
  'uri',
  'kubeconfig',
  'apiGroup',
  'namespace',
  'fieldSelector',
  'labelSelector',
  'since',
];
const ROUTE_KEYS = ['name', 'sink', 'filter', 'dedup', 'delivery'];
const DELIVERY_GROUPS: Readonly<Record<string, readonly string[]>> = {
  batch: ['maxEvents', 'maxBytes', 'timeoutMs'],
  buffer: ['maxEvents', 'whenFull'],
  request: [
    'concurrency',
    'timeoutMs',
    'rateLimitNum',
    'rateLimitDurationMs',
    'retryAttempts',
    'retryInitialBackoffMs',
    'retryMaxDurationMs',
  ],
  aggregate: ['windowMs', 'by', 'maxEvents'],
};
const DEDUP_KEYS = ['mode', 'ttlMs', 'windowMs', 'maxEntries'];
/** Settings that take 'unlimited' (Infinity in code). */
const UNLIMITED = new Set(['rateLimitNum', 'retryAttempts']);

type Problems = ConfigProblem[];
type Obj = Record<string, unknown>;

/**
 * Checks the config file's data: every problem at once, each with its path,
 * converting what YAML cannot say (durations such as '30s', 'unlimited').
 * Sinks are only checked for shape here; building them checks their options.
 */
export function checkConfig(data: unknown): { config: CheckedConfig; problems: Problems } {
  const problems: Problems = [];
  const add = (path: ConfigPath, message: string) => problems.push({ path, message });
  if (data === undefined || data === null) return { config: { routes: [] }, problems };
  if (!isObj(data)) {
    add([], `expected a mapping of ${TOP_KEYS.join(', ')}`);
    return { config: { routes: [] }, problems };
  }
  unknownKeys(data, [], TOP_KEYS, add);
  const config: Record<string, unknown> = {};
  if (data.source !== undefined) config.source = checkSource(data.source, add);
  config.routes = checkRoutes(data.routes, add);
  if (data.checkpoint !== undefined) config.checkpoint = checkCheckpoint(data.checkpoint, add);
  if (data.leaderElection !== undefined) config.leaderElection = data.leaderElection;
  if (data.log !== undefined) config.log = checkLog(data.log, add);
  if (data.healthz !== undefined) config.healthz = checkHealthz(data.healthz, add);
  if (data.eventMetrics !== undefined) {
    if (typeof data.eventMetrics === 'boolean') config.eventMetrics = data.eventMetrics;
    else add(['eventMetrics'], `expected true or false (got ${show(data.eventMetrics)})`);
  }
  if (data.drainTimeout !== undefined) {
    const ms = duration(data.drainTimeout, ['drainTimeout'], add, { zero: true });
    if (ms !== undefined) config.drainTimeoutMs = ms;
  }
  if (data.health !== undefined) config.health = checkHealth(data.health, add);
  return { config: config as unknown as CheckedConfig, problems };
}

type Add = (path: ConfigPath, message: string) => void;

function checkSource(value: unknown, add: Add): SourceSection | undefined {
  const path = ['source'];
  if (!isObj(value)) {
    add(
      path,
      `expected a mapping such as { uri: 'kubernetes:https://kubernetes.default' } (got ${show(value)})`,
    );
    return undefined;
  }
  unknownKeys(value, path, SOURCE_KEYS, add);
  const out: Record<string, unknown> = {};
  for (const key of ['uri', 'kubeconfig', 'namespace', 'fieldSelector', 'labelSelector']) {
    if (value[key] === undefined) continue;
    if (typeof value[key] === 'string' && value[key] !== '') out[key] = value[key];
    else add([...path, key], `expected a non-empty string (got ${show(value[key])})`);
  }
  if (out.uri !== undefined && out.kubeconfig !== undefined) {
    add(
      [...path, 'kubeconfig'],
      "give either uri (kube-eventer's --source) or kubeconfig, not both",
    );
  }
  if (value.apiGroup !== undefined) {
    if (value.apiGroup === 'core/v1' || value.apiGroup === 'events.k8s.io/v1')
      out.apiGroup = value.apiGroup;
    else
      add(
        [...path, 'apiGroup'],
        `expected core/v1 or events.k8s.io/v1 (got ${show(value.apiGroup)})`,
      );
  }
  if (value.since !== undefined) {
    const since = value.since;
    if (since === 'now' || since === 'all') out.since = since;
    else if (since instanceof Date) out.since = since;
    else {
      const ms = duration(
        since,
        [...path, 'since'],
        add,
        {},
        "'now', 'all', a date or a duration such as 15m",
      );
      if (ms !== undefined) out.since = ms;
    }
  }
  return out as SourceSection;
}

function checkRoutes(value: unknown, add: Add): RoutePlan[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    add(['routes'], `expected a list of routes, each with a sink (got ${show(value)})`);
    return [];
  }
  const routes: RoutePlan[] = [];
  const names = new Map<string, number>();
  value.forEach((route: unknown, i) => {
    const path = ['routes', i];
    if (!isObj(route)) {
      add(path, `expected a route such as { sink: 'dingtalk:https://...' } (got ${show(route)})`);
      return;
    }
    unknownKeys(route, path, ROUTE_KEYS, add);
    const out: Record<string, unknown> = {};
    if (route.name !== undefined) {
      if (typeof route.name === 'string' && route.name !== '') {
        out.name = route.name;
        const first = names.get(route.name);
        if (first !== undefined) {
          add(
            [...path, 'name'],
            `routes[${first}] has this name too: give each route its own (metrics are labelled by it)`,
          );
        } else names.set(route.name, i);
      } else add([...path, 'name'], `expected a non-empty string (got ${show(route.name)})`);
    }
    const sink = checkSinkSpec(route.sink, [...path, 'sink'], add);
    if (route.filter !== undefined)
      out.filter = checkFilter(route.filter, [...path, 'filter'], add);
    if (route.dedup !== undefined) out.dedup = checkDedup(route.dedup, [...path, 'dedup'], add);
    if (route.delivery !== undefined)
      out.delivery = checkDelivery(route.delivery, [...path, 'delivery'], add);
    if (sink) routes.push({ ...out, sink } as RoutePlan);
  });
  return routes;
}

function checkSinkSpec(value: unknown, path: ConfigPath, add: Add): SinkSpec | undefined {
  if (typeof value === 'string' && value !== '') return { uri: value };
  if (isObj(value)) {
    unknownKeys(value, path, ['type', 'options'], add);
    const { type, options = {} } = value;
    let ok = true;
    if (typeof type !== 'string' || type === '') {
      add([...path, 'type'], `expected the sink's name, such as webhook (got ${show(type)})`);
      ok = false;
    }
    if (!isObj(options)) {
      add([...path, 'options'], `expected a mapping of the sink's options (got ${show(options)})`);
      ok = false;
    }
    return ok ? { type: type as string, options: options as Obj } : undefined;
  }
  add(
    path,
    `expected a sink URI such as 'webhook:https://example.com/hook' or { type, options } (got ${show(value)})`,
  );
  return undefined;
}

function checkFilter(value: unknown, path: ConfigPath, add: Add): FilterSpec | undefined {
  if (!isObj(value)) {
    add(
      path,
      `expected a filter such as { level: Warning, namespaces: [prod] } (got ${show(value)})`,
    );
    return undefined;
  }
  try {
    createFilter(value as FilterSpec);
    return value as FilterSpec;
  } catch (error) {
    const { field, reason } = error as { field?: string; reason?: string };
    const at = field && field !== 'spec' ? [...path, ...splitField(field)] : path;
    add(at, reason ?? (error as Error).message);
    return undefined;
  }
}

function checkDedup(value: unknown, path: ConfigPath, add: Add): DedupOptions | undefined {
  if (!isObj(value)) {
    add(path, `expected a dedup such as { mode: cooldown, windowMs: 10m } (got ${show(value)})`);
    return undefined;
  }
  let bad = false;
  const note: Add = (at, message) => {
    bad = true;
    add(at, message);
  };
  unknownKeys(value, path, DEDUP_KEYS, note);
  const out: Obj = { ...value };
  for (const key of ['ttlMs', 'windowMs']) {
    if (value[key] === undefined) continue;
    const ms = duration(value[key], [...path, key], note);
    if (ms !== undefined) out[key] = ms;
  }
  if (bad) return undefined;
  try {
    createDedup(out as DedupOptions);
    return out as DedupOptions;
  } catch (error) {
    const { field } = error as { field?: string };
    add(
      field ? [...path, field] : path,
      (error as Error).message.replace(/^\[keventer\] \[dedup\] [^:]*: /, ''),
    );
    return undefined;
  }
}

function checkDelivery(value: unknown, path: ConfigPath, add: Add): DeliveryInput | undefined {
  if (!isObj(value)) {
    add(
      path,
      `expected a mapping of ${Object.keys(DELIVERY_GROUPS).join(', ')} (got ${show(value)})`,
    );
    return undefined;
  }
  unknownKeys(value, path, Object.keys(DELIVERY_GROUPS), add);
  const out: Record<string, Obj> = {};
  for (const [group, fields] of Object.entries(DELIVERY_GROUPS)) {
    const given = value[group];
    if (given === undefined) continue;
    if (!isObj(given)) {
      add([...path, group], `expected a mapping of ${fields.join(', ')} (got ${show(given)})`);
      continue;
    }
    unknownKeys(given, [...path, group], fields, add);
    const converted: Obj = {};
    for (const field of fields) {
      const v = given[field];
      if (v === undefined) continue;
      if (v === 'unlimited' && UNLIMITED.has(field)) converted[field] = Number.POSITIVE_INFINITY;
      else if (field.endsWith('Ms') && typeof v === 'string') {
        const ms = duration(v, [...path, group, field], add, { zero: true });
        if (ms !== undefined) converted[field] = ms;
      } else converted[field] = v;
    }
    out[group] = converted;
  }
  try {
    resolveDeliverySettings({ sink: 'route', explicit: out as DeliveryInput });
  } catch (error) {
    const list = (error as { problems?: readonly string[] }).problems ?? [(error as Error).message];
    for (const problem of list) {
      // "delivery setting 'batch.maxEvents': ..." names the setting: point at its line.
      const match = /'?(batch|buffer|request|aggregate)\.(\w+)'?/.exec(problem);
      add(
        match ? [...path, match[1] as string, match[2] as string] : path,
        problem.replace(' in code', ''),
      );
    }
    return undefined;
  }
  return out as DeliveryInput;
}

function checkCheckpoint(value: unknown, add: Add): CheckpointSection | undefined {
  const path = ['checkpoint'];
  if (!isObj(value)) {
    add(
      path,
      `expected { type: file, path: ... } or { type: in-cluster, ... } (got ${show(value)})`,
    );
    return undefined;
  }
  if (value.type === 'file') {
    unknownKeys(value, path, ['type', 'path'], add);
    if (typeof value.path !== 'string' || value.path === '') {
      add([...path, 'path'], `expected the checkpoint file's path (got ${show(value.path)})`);
      return undefined;
    }
    return { type: 'file', path: value.path };
  }
  if (value.type === 'in-cluster') return { type: 'in-cluster', section: value };
  add([...path, 'type'], `expected file or in-cluster (got ${show(value.type)})`);
  return undefined;
}

function checkLog(value: unknown, add: Add): CheckedConfig['log'] {
  if (!isObj(value)) {
    add(
      ['log'],
      `expected { format: json|text, level: debug|info|warn|error } (got ${show(value)})`,
    );
    return undefined;
  }
  unknownKeys(value, ['log'], ['format', 'level'], add);
  const out: Obj = {};
  if (value.format !== undefined) {
    if (value.format === 'json' || value.format === 'text') out.format = value.format;
    else add(['log', 'format'], `expected json or text (got ${show(value.format)})`);
  }
  if (value.level !== undefined) {
    if (['debug', 'info', 'warn', 'error'].includes(value.level as string)) out.level = value.level;
    else add(['log', 'level'], `expected debug, info, warn or error (got ${show(value.level)})`);
  }
  return out;
}

function checkHealthz(value: unknown, add: Add): CheckedConfig['healthz'] {
  if (!isObj(value)) {
    add(['healthz'], `expected { ip, port } (got ${show(value)})`);
    return undefined;
  }
  unknownKeys(value, ['healthz'], ['ip', 'port'], add);
  const out: Obj = {};
  if (value.ip !== undefined) {
    if (typeof value.ip === 'string' && value.ip !== '') out.ip = value.ip;
    else add(['healthz', 'ip'], `expected an IP address to listen on (got ${show(value.ip)})`);
  }
  if (value.port !== undefined) {
    const port = value.port;
    if (typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= 65534)
      out.port = port;
    else add(['healthz', 'port'], `expected a port from 0 to 65534 (got ${show(port)})`);
  }
  return out;
}

function checkHealth(value: unknown, add: Add): CheckedConfig['health'] {
  if (!isObj(value)) {
    add(['health'], `expected { streamDownMs, sinkFailingMs } (got ${show(value)})`);
    return undefined;
  }
  unknownKeys(value, ['health'], ['streamDownMs', 'sinkFailingMs'], add);
  const out: Obj = {};
  for (const key of ['streamDownMs', 'sinkFailingMs']) {
    if (value[key] === undefined) continue;
    const ms = duration(value[key], ['health', key], add);
    if (ms !== undefined) out[key] = ms;
  }
  return out;
}

/** A number of ms or a duration ('30s', '5m'); positive (or >= 0 with zero). */
function duration(
  value: unknown,
  path: ConfigPath,
  add: Add,
  { zero = false } = {},
  expected = `a duration such as 30s or 5m, or a number of milliseconds${zero ? ' (0 or more)' : ' above 0'}`,
): number | undefined {
  let ms: number | undefined;
  if (typeof value === 'number') ms = value;
  else if (typeof value === 'string') {
    try {
      ms = parseDurationMs(value);
    } catch {
      ms = undefined;
    }
  }
  if (
    ms === undefined ||
    !Number.isFinite(ms) ||
    ms < 0 ||
    (!zero && ms === 0) ||
    ms > 2_147_483_647
  ) {
    add(path, `expected ${expected} (got ${show(value)})`);
    return undefined;
  }
  return ms;
}

function unknownKeys(value: Obj, path: ConfigPath, known: readonly string[], add: Add): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) add([...path, key], `unknown key; accepted: ${known.join(', ')}`);
  }
}

/** `exclude.kinds[1]` → ['exclude', 'kinds', 1]. */
function splitField(field: string): (string | number)[] {
  return field
    .split(/\.|\[(\d+)\]/)
    .filter((part) => part !== undefined && part !== '')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function isObj(value: unknown): value is Obj {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 60)}…` : value}'`;
  if (Array.isArray(value)) return 'a list';
  if (isObj(value)) return 'a mapping';
  return String(value);
}
