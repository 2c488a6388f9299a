import * as kit from '@keventer/core/kit';
import { answerError, type Missing, missingIn } from './answer.js';
import type { InfluxPrecision } from './options.js';

/** Where and how to reach InfluxDB 1.x. */
export interface InfluxServer {
  readonly sink: string;
  readonly endpoint: string;
  readonly user: string;
  readonly pw: string;
  readonly db: string;
  readonly retention: string;
  readonly precision: InfluxPrecision;
  readonly autoCreate: boolean;
}

const url = (server: InfluxServer, path: string, query: Record<string, string>) => {
  const base = new URL(server.endpoint);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const target = new URL(path, base);
  for (const [key, value] of Object.entries(query)) if (value) target.searchParams.set(key, value);
  return target;
};

// Basic auth rather than u=/p= in the query, which proxies and access logs keep.
const auth = (server: InfluxServer) => ({
  authorization: `Basic ${Buffer.from(`${server.user}:${server.pw}`).toString('base64')}`,
});

/**
 * One /write of the batch's lines: one attempt. When the server says the database
 * or retention policy is missing and auto_create is on, it creates it and throws a
 * retryable error: the engine writes the batch again.
 */
export async function writeLines(server: InfluxServer, body: string, signal: AbortSignal) {
  const precision = server.precision === 'ns' ? 'n' : server.precision;
  const query = { db: server.db, rp: server.retention, precision };
  const headers = { ...auth(server), 'content-type': 'text/plain; charset=utf-8' };
  const answer = await kit.sendJson(server.sink, url(server, 'write', query), body, {
    signal,
    headers,
  });
  const error = answerError(server.sink, answer);
  if (!error) return;
  const missing = missingIn(answer);
  if (!server.autoCreate || missing === undefined) throw error;
  await create(server, missing, signal);
  throw kit.retryableError(server.sink, `created the ${missing} the write needs; writing again`);
}

const identifier = (name: string) => `"${name.replace(/["\\]/g, '\\$&')}"`;

async function create(server: InfluxServer, missing: Missing, signal: AbortSignal) {
  const db = identifier(server.db);
  const rp = identifier(server.retention);
  // Both are no-ops when it exists with these settings. A retention policy we create is
  // not made the default: queries without one keep reading what they read.
  const statement =
    missing === 'database'
      ? `CREATE DATABASE ${db}${server.retention ? ` WITH NAME ${rp}` : ''}`
      : `CREATE RETENTION POLICY ${rp} ON ${db} DURATION INF REPLICATION 1`;
  const body = new URLSearchParams({ q: statement }).toString();
  const headers = { ...auth(server), 'content-type': 'application/x-www-form-urlencoded' };
  const answer = await kit.sendJson(server.sink, url(server, 'query', {}), body, {
    signal,
    headers,
  });
  const error = answerError(server.sink, answer);
  if (error?.retryable) throw error;
  const results = kit.parseJsonAnswer(answer)?.results;
  const refused = Array.isArray(results)
    ? results.map((r) => (r as { error?: unknown }).error).find((e) => typeof e === 'string')
    : undefined;
  if (error || refused !== undefined) {
    const why = error?.message ?? `InfluxDB refused it: ${String(refused)}`;
    throw kit.permanentError(
      server.sink,
      `the ${missing} does not exist and ${statement} failed: ${why} (create it, or grant the user the right to)`,
      { statusCode: answer.status },
    );
  }
}
