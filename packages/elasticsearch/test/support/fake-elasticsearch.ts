import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Item = Record<string, unknown>;
/** A fault for one document: an item answer instead of the write (e.g. a 429 rejection). */
export type ItemFault = (
  doc: Item,
  index: string,
) => { status: number; type: string; reason: string } | undefined;

/**
 * A strict Elasticsearch `_bulk`: it refuses what ES refuses (a body without its
 * final newline, a wrong content type, an unknown action, `_type` on 8+, a missing
 * auth, a non-create write to a data stream, a missing pipeline), answers per item
 * (201 created, 409 version conflict for a `create` of an existing `_id`,
 * mapper_parsing_exception for a field whose type changed) and sends the
 * product and version headers ES 7.14+ sends.
 */
export class FakeElasticsearch {
  readonly indices = new Map<string, Map<string, Item>>();
  readonly requests: Array<{ url: string; body: string; headers: IncomingMessage['headers'] }> = [];
  readonly dataStreams = new Set<string>();
  readonly pipelines = new Set<string>();
  itemFault: ItemFault | undefined;
  /** A whole-request answer instead of the bulk (a 503, a 401). */
  requestFault: { status: number; body: unknown } | undefined;
  url = '';
  private readonly fields = new Map<string, string>();
  private readonly server: Server;

  constructor(private readonly options: { auth?: string; major?: number } = {}) {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  documents(): Item[] {
    return [...this.indices.values()].flatMap((docs) => [...docs.values()]);
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    let body = '';
    for await (const chunk of req) body += chunk;
    this.requests.push({ url: req.url ?? '', body, headers: req.headers });
    res.setHeader('x-elastic-product', 'Elasticsearch');
    const send = (status: number, answer: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    };
    const fail = (status: number, type: string, reason: string) =>
      send(status, { error: { type, reason }, status });
    const url = new URL(req.url ?? '/', 'http://x');
    if (this.options.auth && req.headers.authorization !== this.options.auth)
      return fail(
        401,
        'security_exception',
        'unable to authenticate user [writer] for REST request [/_bulk]',
      );
    if (this.requestFault) return send(this.requestFault.status, this.requestFault.body);
    if (req.method !== 'POST' || url.pathname !== '/_bulk')
      return fail(404, 'not_found', `no handler for ${req.method} ${url.pathname}`);
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/(x-ndjson|json)/.test(type))
      return send(406, { error: `Content-Type header [${type}] is not supported`, status: 406 });
    if (!body.endsWith('\n'))
      return fail(
        400,
        'illegal_argument_exception',
        'The bulk request must be terminated by a newline [\\n]',
      );
    const pipeline = url.searchParams.get('pipeline');
    const lines = body.slice(0, -1).split('\n');
    const items: Item[] = [];
    for (let i = 0; i < lines.length; i += 2) {
      const action = JSON.parse(lines[i] as string) as Record<string, Record<string, string>>;
      const [op, meta] = Object.entries(action)[0] ?? [];
      if ((op !== 'create' && op !== 'index') || !meta || lines[i + 1] === undefined)
        return fail(400, 'illegal_argument_exception', `Malformed action/metadata line [${i + 1}]`);
      if (meta._type !== undefined && (this.options.major ?? 8) >= 8)
        return fail(
          400,
          'illegal_argument_exception',
          'Action/metadata line [1] contains an unknown parameter [_type]',
        );
      const doc = JSON.parse(lines[i + 1] as string) as Item;
      items.push({ [op]: this.write(op, meta._index ?? '', meta._id ?? '', doc, pipeline) });
    }
    const errors = items.some((item) => (Object.values(item)[0] as { error?: unknown }).error);
    send(200, filter(url.searchParams.get('filter_path'), { took: 3, errors, items }));
  }

  private write(op: string, index: string, id: string, doc: Item, pipeline: string | null) {
    const error = (status: number, type: string, reason: string) => ({
      _index: index,
      _id: id,
      status,
      error: { type, reason, index },
    });
    if (pipeline && !this.pipelines.has(pipeline))
      return error(
        400,
        'illegal_argument_exception',
        `pipeline with id [${pipeline}] does not exist`,
      );
    if (this.dataStreams.has(index) && op !== 'create')
      return error(
        400,
        'illegal_argument_exception',
        `only write ops with an op_type of create are allowed in data streams`,
      );
    if (this.dataStreams.has(index) && !('@timestamp' in doc))
      return error(
        400,
        'mapper_parsing_exception',
        'data stream timestamp field [@timestamp] is missing',
      );
    const fault = this.itemFault?.(doc, index);
    if (fault) return error(fault.status, fault.type, fault.reason);
    for (const [path, kind] of leaves(doc)) {
      const known = this.fields.get(`${index}/${path}`);
      if (known && known !== kind)
        return error(
          400,
          'mapper_parsing_exception',
          `failed to parse field [${path}] of type [${known}] in document with id '${id}'`,
        );
    }
    const docs = this.indices.get(index) ?? new Map<string, Item>();
    this.indices.set(index, docs);
    if (docs.has(id) && op === 'create')
      return error(
        409,
        'version_conflict_engine_exception',
        `[${id}]: version conflict, document already exists (current version [1])`,
      );
    for (const [path, kind] of leaves(doc)) this.fields.set(`${index}/${path}`, kind);
    const result = docs.has(id) ? 'updated' : 'created';
    docs.set(id, doc);
    return {
      _index: index,
      _id: id,
      _version: 1,
      result,
      status: result === 'created' ? 201 : 200,
    };
  }
}

function leaves(value: unknown, path = ''): Array<[string, string]> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return [
      [path, typeof value === 'number' ? 'long' : typeof value === 'boolean' ? 'boolean' : 'text'],
    ];
  return Object.entries(value).flatMap(([key, inner]) =>
    leaves(inner, path ? `${path}.${key}` : key),
  );
}

/** ES's filter_path for the paths the sink asks for: keeps errors, status and error.type/reason. */
function filter(
  filterPath: string | null,
  answer: { took: number; errors: boolean; items: Item[] },
) {
  if (!filterPath) return answer;
  const items = answer.items.map((item) => {
    const [op, inner] = Object.entries(item)[0] as [
      string,
      { status: number; error?: { type: string; reason: string } },
    ];
    const kept = inner.error
      ? { status: inner.status, error: { type: inner.error.type, reason: inner.error.reason } }
      : { status: inner.status };
    return { [op]: kept };
  });
  return { errors: answer.errors, items };
}
