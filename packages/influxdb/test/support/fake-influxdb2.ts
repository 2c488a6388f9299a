import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { type FieldValue, type ParsedPoint, parseLineProtocol } from './parse-line-protocol.js';

/** A point as stored: its time in nanoseconds. */
export interface StoredPoint extends Omit<ParsedPoint, 'time'> {
  readonly time: bigint;
}

export interface FakeInfluxdb2Options {
  /** Organization name to its buckets. Default: `ops` with `k8s`. */
  readonly orgs?: Readonly<Record<string, readonly string[]>>;
  /** Token to the org and buckets it may write (`*`: all of its org's). Default `writer-token` on ops/*. */
  readonly tokens?: Readonly<Record<string, { org: string; write: readonly string[] }>>;
  /** The largest (decompressed) body; 2.x's max batch size. Default 10 MB. */
  readonly maxBodyBytes?: number;
}

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

const PER_NS: Record<string, bigint> = { ns: 1n, us: 1000n, ms: 1_000_000n, s: 1_000_000_000n };

/**
 * A strict InfluxDB 2.x `/api/v2/write`, answering as 2.x does (its handler's
 * order of checks, its `{code, message}` bodies, its statuses): the Token
 * header, org or orgID, bucket, precision (ns, us, ms, s), gzip bodies, the
 * batch size limit, strict line protocol (one bad line refuses the whole
 * body, 400), field types per measurement (a conflict drops those points and
 * writes the rest: 2.x's 422 partial write). A point with the series and time
 * of one stored overwrites its fields, so tests can count points per occurrence.
 * One thing is stricter than 2.x, which ignores it: a Content-Type other than
 * text/plain is refused, to catch a body sent with JSON's type.
 */
export class FakeInfluxdb2 {
  readonly requests: Array<{
    method: string;
    url: string;
    headers: IncomingMessage['headers'];
    body: string;
  }> = [];
  url = '';
  private readonly orgs: Readonly<Record<string, readonly string[]>>;
  private readonly tokens: Readonly<Record<string, { org: string; write: readonly string[] }>>;
  private readonly stored = new Map<string, Map<string, StoredPoint>>();
  private readonly fieldTypes = new Map<string, string>();
  private readonly queued: Answer[] = [];
  private readonly server: Server;

  constructor(private readonly options: FakeInfluxdb2Options = {}) {
    this.orgs = options.orgs ?? { ops: ['k8s'] };
    this.tokens = options.tokens ?? { 'writer-token': { org: 'ops', write: ['*'] } };
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Answers the next requests so (a 429, a 503), before any check. */
  answerNext(...answers: Answer[]) {
    this.queued.push(...answers);
  }

  /** The points of `org`/`bucket`, in the order first written. */
  points(bucket: string, org = 'ops'): StoredPoint[] {
    return [...(this.stored.get(`${org}/${bucket}`)?.values() ?? [])];
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const answer = this.answer(req, raw);
    res.setHeader('x-influxdb-build', 'OSS');
    res.setHeader('x-influxdb-version', 'v2.7.11');
    if (answer.status === 204) return void res.writeHead(204).end();
    const code = (answer.body as { code?: string } | undefined)?.code;
    res.writeHead(answer.status, {
      'content-type': 'application/json; charset=utf-8',
      ...(code ? { 'x-platform-error-code': code } : {}),
      ...answer.headers,
    });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  }

  private answer(req: IncomingMessage, raw: Buffer): Answer {
    const url = new URL(req.url ?? '/', 'http://x');
    const record = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '' };
    this.requests.push(record);
    const queued = this.queued.shift();
    if (queued) return queued;
    const fail = (status: number, code: string, message: string): Answer => ({
      status,
      body: { code, message },
    });
    // 2.x authenticates every request before routing it.
    const [scheme, token] = (req.headers.authorization ?? '').split(' ');
    const grant = scheme === 'Token' && token ? this.tokens[token] : undefined;
    if (!grant) return fail(401, 'unauthorized', 'unauthorized access');
    if (url.pathname !== '/api/v2/write') return fail(404, 'not found', 'path not found');
    if (req.method !== 'POST') return fail(405, 'method not allowed', 'method not allowed');
    const query = url.searchParams;
    const precision = query.get('precision') || 'ns';
    if (!(precision in PER_NS))
      return fail(400, 'invalid', 'invalid precision; valid precision units are ns, us, ms, and s');
    const bucket = query.get('bucket') ?? '';
    if (bucket === '') return fail(404, 'not found', 'bucket not found');
    const type = req.headers['content-type'];
    if (type !== undefined && !/^text\/plain\b/.test(type))
      return fail(400, 'invalid', `unsupported Content-Type ${type}: send text/plain`);
    let body: Buffer = raw;
    const encoding = req.headers['content-encoding'];
    if (encoding === 'gzip' || encoding === 'x-gzip') {
      try {
        body = gunzipSync(raw, { maxOutputLength: this.maxBody + 1 });
      } catch (error) {
        if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
          body = Buffer.alloc(this.maxBody + 1);
        else return fail(400, 'invalid', 'unable to read data: gzip: invalid header');
      }
    }
    record.body = body.toString('utf8');
    const org = query.get('org') ?? '';
    if (query.get('orgID')) return fail(404, 'not found', 'organization not found');
    if (org === '') return fail(400, 'invalid', 'Please provide either orgID or org');
    const buckets = this.orgs[org];
    if (!buckets) return fail(404, 'not found', `organization name "${org}" not found`);
    if (!buckets.includes(bucket)) return fail(404, 'not found', `bucket "${bucket}" not found`);
    if (grant.org !== org || !(grant.write.includes('*') || grant.write.includes(bucket)))
      return fail(403, 'forbidden', 'insufficient permissions for write');
    if (body.length > this.maxBody)
      return fail(413, 'request too large', 'unable to read data: points batch is too large');
    if (body.length === 0) return fail(400, 'invalid', 'writing requires points');
    const { points, errors } = parseLineProtocol(record.body);
    if (errors.length > 0) return fail(400, 'invalid', errors.join('\n'));
    if (points.length === 0) return fail(400, 'invalid', 'writing requires points');
    return this.write(`${org}/${bucket}`, points, PER_NS[precision] as bigint);
  }

  private get maxBody() {
    return this.options.maxBodyBytes ?? 10_000_000;
  }

  private write(bucket: string, points: ParsedPoint[], perNs: bigint): Answer {
    const series = this.stored.get(bucket) ?? new Map<string, StoredPoint>();
    this.stored.set(bucket, series);
    const conflicts: string[] = [];
    for (const point of points) {
      const conflict = this.typeConflict(bucket, point);
      if (conflict) {
        conflicts.push(conflict);
        continue;
      }
      const time = (point.time ?? (BigInt(Date.now()) * 1_000_000n) / perNs) * perNs;
      const key = `${seriesKey(point)} ${time}`;
      const fields = { ...series.get(key)?.fields, ...point.fields };
      series.set(key, { ...point, fields, time });
    }
    if (conflicts.length === 0) return { status: 204 };
    return {
      status: 422,
      body: {
        code: 'unprocessable entity',
        message: `failure writing points to database: partial write: ${conflicts[0]} dropped=${conflicts.length}`,
      },
    };
  }

  private typeConflict(bucket: string, point: ParsedPoint): string | undefined {
    const types = Object.entries(point.fields).map(
      ([name, value]) => [`${bucket}/${point.measurement}/${name}`, name, value] as const,
    );
    for (const [key, name, value] of types) {
      const known = this.fieldTypes.get(key);
      if (known && known !== value.type)
        return `field type conflict: input field "${name}" on measurement "${point.measurement}" is type ${value.type}, already exists as type ${known}`;
    }
    for (const [key, , value] of types) this.fieldTypes.set(key, (value as FieldValue).type);
    return undefined;
  }
}

const seriesKey = (point: ParsedPoint) =>
  [
    point.measurement,
    ...Object.keys(point.tags)
      .sort()
      .map((k) => `${k}=${point.tags[k]}`),
  ].join(',');
