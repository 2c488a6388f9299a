import {
  createDedup,
  createFilter,
  type DedupOptions,
  type DeliveryInput,
  type FilterSpec,
  resolveDeliverySettings,
} from '@keventer/core';
import type { RoutePlan, SinkSpec } from '../plan.js';
import type { ConfigPath } from './problems.js';
import { type Add, duration, isObj, type Obj, show, splitField, unknownKeys } from './values.js';

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

/** Checks `routes`: each one's keys, sink (its shape; building it checks its options), filter, dedup and delivery. */
export function checkRoutes(value: unknown, add: Add): RoutePlan[] {
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
