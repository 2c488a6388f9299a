import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inflateSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { decodeLz4Block } from './lz4-block.js';

// SLS's own schema (sls.proto), read by protobufjs: the fake shares no encoding code with the sink.
const PROTO = `
syntax = "proto2";
package sls;
message Log {
  required uint32 Time = 1;
  message Content { required string Key = 1; required string Value = 2; }
  repeated Content Contents = 2;
  optional fixed32 TimeNs = 4;
}
message LogTag { required string Key = 1; required string Value = 2; }
message LogGroup {
  repeated Log Logs = 1;
  optional string Reserved = 2;
  optional string Topic = 3;
  optional string Source = 4;
  repeated LogTag LogTags = 6;
}`;
const LogGroup = protobuf.parse(PROTO).root.lookupType('sls.LogGroup');

/** A log as stored: its time, its fields in order, its group's topic and source. */
export interface StoredLog {
  readonly time: number;
  readonly contents: Array<[string, string]>;
  readonly topic: string;
  readonly source: string;
}

/** An error SLS answers: the status and its JSON body. */
export interface SlsFault {
  readonly status: number;
  readonly errorCode: string;
  readonly errorMessage: string;
}

export interface FakeSlsRequest {
  readonly host: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly bodyBytes: number;
  readonly rawBytes: number;
  readonly logs: number;
  readonly answer: number;
}

interface Credential {
  readonly secret: string;
  /** Set for STS credentials: the request must carry this x-acs-security-token. */
  readonly token?: string;
}

const MAX_BODY = 10 * 1024 * 1024;
const MAX_RAW = 5 * 1024 * 1024;
const MAX_LOGS = 4096;
const SKEW_MS = 15 * 60_000;

/**
 * A strict SLS PutLogs endpoint on 127.0.0.1. Like the service, it reads the
 * project from Host (`<project>.<endpoint>`), checks the API version, the
 * Date's format and freshness, Content-Type, Content-MD5 against the body,
 * the signature v1 (recomputed here from the headers as received), the STS
 * token, the compression and x-log-bodyrawsize against the inflated body, the
 * protobuf LogGroup (required fields), the limits (4096 logs, 5 MB raw, 10 MB
 * body) and the log times; it answers SLS's error codes with their statuses
 * and `{errorCode, errorMessage}` bodies, and stores what it accepted.
 */
export class FakeSls {
  /** project -> logstore -> logs */
  readonly projects = new Map<string, Map<string, StoredLog[]>>();
  readonly requests: FakeSlsRequest[] = [];
  readonly credentials = new Map<string, Credential>();
  /** An answer instead of the write, for the n-th request (0-based) or every one. */
  fault: ((request: { n: number; logs: number }) => SlsFault | undefined) | undefined;
  /** The endpoint the sink is given, `http://127.0.0.1:<port>`. */
  endpoint = '';
  private host = '';
  private readonly server: Server;
  private count = 0;

  constructor() {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) =>
        this.fail(res, 500, 'InternalServerError', String(error)),
      );
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.host = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.endpoint = `http://${this.host}`;
    return this;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  addLogStore(project: string, logStore: string): this {
    const stores = this.projects.get(project) ?? new Map<string, StoredLog[]>();
    stores.set(logStore, stores.get(logStore) ?? []);
    this.projects.set(project, stores);
    return this;
  }

  addCredential(accessKeyId: string, secret: string, token?: string): this {
    this.credentials.set(accessKeyId, token === undefined ? { secret } : { secret, token });
    return this;
  }

  logs(project: string, logStore: string): StoredLog[] {
    return this.projects.get(project)?.get(logStore) ?? [];
  }

  private fail(res: ServerResponse, status: number, errorCode: string, errorMessage: string) {
    if (res.headersSent) return;
    res
      .writeHead(status, {
        'content-type': 'application/json',
        'x-log-requestid': this.requestId(),
      })
      .end(JSON.stringify({ errorCode, errorMessage }));
    return status;
  }

  private requestId(): string {
    return `5F${String(this.count).padStart(22, '0')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    }
    const body = Buffer.concat(chunks);
    const n = this.count++;
    const record = (answer: number | undefined, rawBytes = 0, logs = 0): void => {
      this.requests.push({
        host: req.headers.host ?? '',
        path: req.url ?? '',
        headers: req.headers,
        bodyBytes: size,
        rawBytes,
        logs,
        answer: answer ?? 200,
      });
    };
    const refuse = (status: number, code: string, message: string) =>
      record(this.fail(res, status, code, message));
    const h = (name: string) => {
      const value = req.headers[name];
      return typeof value === 'string' ? value : undefined;
    };

    // Routing: the project is the Host's first label before this endpoint.
    const host = h('host');
    if (!host) return refuse(400, 'MissingHost', 'Host does not exist in http header.');
    if (!host.endsWith(`.${this.host}`))
      return refuse(400, 'InvalidHost', `The Host header ${host} is invalid.`);
    const project = host.slice(0, -this.host.length - 1);
    const match = /^\/logstores\/([^/?]+)(?:\/shards\/lb)?$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match)
      return refuse(404, 'RequestNotSupported', `${req.method} ${req.url} is not supported.`);
    const logStore = decodeURIComponent(match[1] as string);

    // Common headers.
    const version = h('x-log-apiversion');
    if (!version)
      return refuse(400, 'MissingAPIVersion', 'x-log-apiversion does not exist in http header.');
    if (version !== '0.6.0')
      return refuse(400, 'InvalidAPIVersion', `x-log-apiversion ${version} is unsupported.`);
    const date = h('date');
    if (!date) return refuse(400, 'MissingDate', 'Date does not exist in http header.');
    const dateMs = Date.parse(date);
    if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(date) || !dateMs)
      return refuse(400, 'InvalidDateFormat', `Date ${date} must follow RFC822.`);
    if (Math.abs(Date.now() - dateMs) > SKEW_MS)
      return refuse(
        400,
        'RequestTimeExpired',
        `Request time ${date} has been expired while server time is ${new Date().toUTCString()}.`,
      );
    const contentType = h('content-type') ?? '';
    if (contentType !== 'application/x-protobuf')
      return refuse(415, 'InvalidContentType', `Content-Type ${contentType} is unsupported.`);
    if (size > MAX_BODY)
      return refuse(413, 'PostBodyTooLarge', `Body size ${size} must little than ${MAX_BODY}.`);
    const md5 = h('content-md5') ?? '';
    if (md5 !== createHash('md5').update(body).digest('hex').toUpperCase())
      return refuse(400, 'InvalidContentMD5', `Content-MD5 ${md5} does not match the body.`);

    // Authentication: signature v1, recomputed from the headers as received.
    const method = h('x-log-signaturemethod');
    if (!method)
      return refuse(400, 'MissingSignatureMethod', 'x-log-signaturemethod does not exist.');
    if (method !== 'hmac-sha1')
      return refuse(400, 'InvalidSignatureMethod', `signature method ${method} is unsupported.`);
    const auth = /^LOG ([^:]+):(.+)$/.exec(h('authorization') ?? '');
    if (!auth) return refuse(401, 'Unauthorized', 'The Authorization header is invalid.');
    const [, accessKeyId = '', signature = ''] = auth;
    const credential = this.credentials.get(accessKeyId);
    if (!credential) return refuse(401, 'Unauthorized', `AccessKeyId not found: ${accessKeyId}`);
    const canonical = Object.entries(req.headers)
      .filter(([name]) => /^x-(log|acs)-/.test(name))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, value]) => `${name}:${String(value).trim()}`);
    const path = (req.url ?? '').split('?')[0] ?? '';
    const toSign = ['POST', md5, contentType, date, ...canonical, path].join('\n');
    const expected = createHmac('sha1', credential.secret).update(toSign).digest();
    const given = Buffer.from(signature, 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return refuse(401, 'SignatureNotMatch', `Signature ${signature} not matched.`);
    const token = h('x-acs-security-token');
    if (credential.token !== undefined && token !== credential.token)
      return refuse(
        401,
        'Unauthorized',
        token ? 'The security token you provided is invalid.' : 'The AccessKeyId is unauthorized.',
      );

    // Where to: the project, then the logstore.
    const stores = this.projects.get(project);
    if (!stores) return refuse(404, 'ProjectNotExist', `The Project does not exist : ${project}`);
    const stored = stores.get(logStore);
    if (!stored) return refuse(404, 'LogStoreNotExist', `logstore ${logStore} does not exist`);

    // The body: compression, raw size, protobuf, limits.
    const rawSizeText = h('x-log-bodyrawsize');
    if (rawSizeText === undefined)
      return refuse(400, 'MissingBodyRawSize', 'x-log-bodyrawsize does not exist in header.');
    const rawSize = Number(rawSizeText);
    if (!/^\d+$/.test(rawSizeText))
      return refuse(400, 'InvalidBodyRawSize', 'x-log-bodyrawsize is invalid.');
    const compressType = h('x-log-compresstype');
    let raw: Uint8Array;
    try {
      if (compressType === undefined) raw = body;
      else if (compressType === 'lz4') raw = decodeLz4Block(body, rawSize);
      else if (compressType === 'deflate') raw = inflateSync(body);
      else
        return refuse(
          400,
          'InvalidCompressType',
          `x-log-compresstype ${compressType} is unsupported.`,
        );
    } catch (error) {
      return refuse(
        400,
        'PostBodyUncompressError',
        `body cannot be uncompressed: ${String(error)}`,
      );
    }
    if (raw.length !== rawSize)
      return refuse(
        400,
        'InvalidBodyRawSize',
        `x-log-bodyrawsize ${rawSize} is not the body's ${raw.length}.`,
      );
    if (raw.length > MAX_RAW)
      return refuse(
        400,
        'PostBodyTooLarge',
        `Logs must be less than ${MAX_RAW} bytes and ${MAX_LOGS} lines.`,
      );
    let group: ReturnType<typeof decodeGroup>;
    try {
      group = decodeGroup(raw);
    } catch {
      return refuse(400, 'PostBodyInvalid', 'Protobuffer content cannot be parsed.');
    }
    if (group.logs.length > MAX_LOGS)
      return refuse(
        400,
        'PostBodyTooLarge',
        `Logs must be less than ${MAX_RAW} bytes and ${MAX_LOGS} lines.`,
      );
    const nowS = Date.now() / 1000;
    if (group.logs.some((log) => log.time < nowS - 7 * 86_400 || log.time > nowS + 900))
      return refuse(400, 'InvalidTimestamp', 'Invalid timestamps are in logs.');

    const fault = this.fault?.({ n, logs: group.logs.length });
    if (fault)
      return record(
        this.fail(res, fault.status, fault.errorCode, fault.errorMessage),
        raw.length,
        group.logs.length,
      );
    stored.push(...group.logs);
    res.writeHead(200, { 'x-log-requestid': this.requestId(), 'content-length': 0 }).end();
    record(200, raw.length, group.logs.length);
  }
}

function decodeGroup(raw: Uint8Array): { logs: StoredLog[] } {
  const message = LogGroup.toObject(LogGroup.decode(raw), { defaults: true }) as {
    Logs: Array<{ Time: number; Contents: Array<{ Key: string; Value: string }> }>;
    Topic: string;
    Source: string;
  };
  return {
    logs: message.Logs.map((log) => ({
      time: log.Time,
      contents: log.Contents.map((c) => [c.Key, c.Value] as [string, string]),
      topic: message.Topic,
      source: message.Source,
    })),
  };
}
