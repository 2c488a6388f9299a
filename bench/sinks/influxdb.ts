// InfluxDB 1.x (INFLUXDB_URL, _USER, _PASSWORD from scripts/influxdb/start.sh): the
// sink from kube-eventer's URI at its defaults (measurement log/events, the event
// JSON as its value), into a fresh database; the baseline writes the same points
// one /write per point, each awaited.
import type { KubeEvent, Sink } from '@keventer/core';
import { influxdb } from '@keventer/influxdb';
import type { SinkBench, Target } from './types.js';

const created: string[] = [];

function env() {
  const { INFLUXDB_URL: url, INFLUXDB_USER: user, INFLUXDB_PASSWORD: pw } = process.env;
  if (!url || !user || !pw)
    throw new Error('INFLUXDB_URL, INFLUXDB_USER or INFLUXDB_PASSWORD is not set');
  return { url, user, pw };
}

/** One InfluxQL statement; returns the first series' first row. */
async function query(q: string, db = ''): Promise<unknown[] | undefined> {
  const { url, user, pw } = env();
  const target = new URL('/query', url);
  if (db) target.searchParams.set('db', db);
  const response = await fetch(target, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ q }).toString(),
  });
  const body = (await response.json()) as {
    results?: Array<{ error?: string; series?: Array<{ values?: unknown[][] }> }>;
  };
  const result = body.results?.[0];
  if (!response.ok || result?.error) {
    throw new Error(`InfluxDB refused ${q}: ${response.status} ${result?.error ?? ''}`);
  }
  return result?.series?.[0]?.values?.[0];
}

// BENCH_INFLUXDB_OPTIONS (e.g. `layout=series`, `withfields=true`) adds URI options: to see
// what another layout costs the server; the figures in docs/performance.md are at the defaults.
const sinkUri = (target: Target) => {
  const { url, user, pw } = env();
  const params = new URLSearchParams({ user, pw, db: target.db ?? '' });
  for (const [key, value] of new URLSearchParams(process.env.BENCH_INFLUXDB_OPTIONS ?? ''))
    params.set(key, value);
  return `influxdb:${url}?${params}`;
};

export const influxdbBench: SinkBench = {
  name: 'influxdb',
  unit: 'points',
  service: 'influxdb',
  perEventMethod: 'one /write per point (the sink with batches of one), awaited',
  missing: () =>
    process.env.INFLUXDB_URL && process.env.INFLUXDB_PASSWORD
      ? undefined
      : 'INFLUXDB_URL is not set',

  // Made here, not by the sink's auto_create: its first write would fail, create it
  // and be retried after the engine's backoff, a second the measurement would include.
  async fresh(run) {
    const db = `bench_${run}`;
    await query(`CREATE DATABASE "${db}"`);
    created.push(db);
    return { db };
  },

  // kube-eventer's --sink value, as a user migrating from it passes it.
  createSink: (target) => influxdb.fromUri(sinkUri(target)),

  async count(target) {
    // Every field of every layout is set on each point: any field's count is the points'.
    const row = await query('SELECT COUNT(*) FROM /.*/', target.db);
    return Math.max(0, ...(row ?? []).slice(1).map(Number).filter(Number.isFinite));
  },

  async perEvent(target, events: readonly KubeEvent[]) {
    const sink: Sink = await influxdb.fromUri(sinkUri(target));
    try {
      // A signal per write, as the delivery engine gives each attempt.
      for (const event of events)
        await sink.write([event], { signal: new AbortController().signal });
    } finally {
      await sink.close?.();
    }
  },

  async close() {
    for (const db of created.splice(0)) await query(`DROP DATABASE "${db}"`);
  },
};
