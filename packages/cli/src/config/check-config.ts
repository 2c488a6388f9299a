import { checkInClusterCheckpoint, checkLeaderElection } from '../ha/config.js';
import { checkRoutes } from './check-routes.js';
import type { CheckedConfig, CheckpointSection, SourceSection } from './config-types.js';
import { type ConfigPath, type ConfigProblem, under } from './problems.js';
import { type Add, duration, isObj, type Obj, show, unknownKeys } from './values.js';

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

type Problems = ConfigProblem[];

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
  if (data.leaderElection !== undefined) {
    problems.push(...under(['leaderElection'], checkLeaderElection(data.leaderElection)));
    config.leaderElection = data.leaderElection;
  }
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
  if (value.type === 'in-cluster') {
    for (const p of under(path, checkInClusterCheckpoint(value))) add(p.path, p.message);
    return { type: 'in-cluster', section: value };
  }
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
