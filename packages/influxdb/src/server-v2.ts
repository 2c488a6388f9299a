import * as kit from '@keventer/core/kit';
import { answerErrorV2 } from './answer-v2.js';
import type { InfluxPrecision } from './options.js';

/** Where and how to reach InfluxDB 2.x/3.x's /api/v2/write. */
export interface InfluxServerV2 {
  readonly sink: string;
  readonly endpoint: string;
  /** Empty for a 3.x server without auth: no Authorization header. */
  readonly token: string;
  /** Empty leaves `org` out (3.x ignores it; a 2.x server asks for it). */
  readonly org: string;
  readonly bucket: string;
  readonly precision: InfluxPrecision;
}

// 1.x spells microseconds 'u', 2.x 'us'.
const V2_PRECISION: Record<InfluxPrecision, string> = { ns: 'ns', u: 'us', ms: 'ms', s: 's' };

export function writeUrl(server: InfluxServerV2): URL {
  const base = new URL(server.endpoint);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const target = new URL('api/v2/write', base);
  if (server.org) target.searchParams.set('org', server.org);
  target.searchParams.set('bucket', server.bucket);
  target.searchParams.set('precision', V2_PRECISION[server.precision]);
  return target;
}

/**
 * One /api/v2/write of the batch's lines: one attempt. Buckets are not
 * created: that needs the org's id and an all-access token, which a writer
 * should not hold.
 */
export async function writeLinesV2(server: InfluxServerV2, body: string, signal: AbortSignal) {
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
  if (server.token) headers.authorization = `Token ${server.token}`;
  const answer = await kit.sendJson(server.sink, writeUrl(server), body, { signal, headers });
  const error = answerErrorV2(server.sink, answer);
  if (error) throw error;
}
