import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback } from './loopback.js';

export type PutEvent = Record<string, unknown>;
/** A refusal of one entry (e.g. throttled), instead of accepting it. */
export type EntryFault = (event: PutEvent) => { code: string; message: string } | undefined;

interface Credential {
  readonly secret: string;
  /** Set for STS credentials: the request must carry it. */
  readonly securityToken?: string;
}

/** The service's documented limits per PutEvents request. */
const MAX_ENTRIES = 16;
const MAX_BODY_BYTES = 262_144;
const MAX_EVENT_BYTES = 65_536;
const MAX_CLOCK_SKEW_MS = 15 * 60_000;

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A strict EventBridge PutEvents endpoint. It recomputes the ACS signature
 * from the request as it arrived (method, Content-MD5, Content-Type, Date,
 * every x-acs-* header, the path), refuses a reused nonce, a stale Date, an
 * unknown AccessKey, a wrong or missing STS token, more than 16 events or
 * 256 KB, an event over 64 KB, CloudEvents without specversion 1.0, id,
 * source, type or time, and a bus that does not exist; it answers like the
 * service: `{code, message, requestId}` with the error's status, or the
 * per-entry `{RequestId, ResourceOwnerAccountId, FailedEntryCount, EntryList}`.
 */
export class FakeEventBridge {
  readonly accepted: PutEvent[] = [];
  readonly requests: Array<{ headers: IncomingMessage['headers']; body: string; status: number }> =
    [];
  readonly buses = new Set(['default']);
  /** STS AccessKey IDs whose credentials have expired. */
  readonly expired = new Set<string>();
  entryFault: EntryFault | undefined;
  /** A whole-request answer after the signature check (a 503, a throttling 429), by request number from 1. */
  requestFault: ((request: number) => { status: number; body: unknown } | undefined) | undefined;
  url = '';
  private readonly nonces = new Set<string>();
  private readonly keys = new Map<string, Credential>();
  private readonly server: Server;

  constructor(readonly accountId = '1234567890123456') {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /** Registers an AccessKey (with an STS token when given). */
  allow(accessKeyId: string, secret: string, securityToken?: string): this {
    this.keys.set(accessKeyId, { secret, ...(securityToken ? { securityToken } : {}) });
    return this;
  }

  async start(): Promise<string> {
    this.url = await listenOnLoopback(this.server);
    return this.url;
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const requestId = randomUUID().toUpperCase();
    const send = (status: number, answer: unknown) => {
      this.requests.push({ headers: req.headers, body: raw.toString(), status });
      res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
      res.end(JSON.stringify(answer));
    };
    try {
      this.authenticate(req);
      const fault = this.requestFault?.(this.requests.length + 1);
      if (fault) return send(fault.status, fault.body);
      const events = this.readEvents(req, raw);
      const entries = events.map((event) => {
        const fault = this.entryFault?.(event);
        const base = { EventId: event.id, TraceId: randomUUID().replaceAll('-', '') };
        if (fault) return { ...base, ErrorCode: fault.code, ErrorMessage: fault.message };
        this.accepted.push(event);
        return base;
      });
      send(200, {
        RequestId: requestId,
        ResourceOwnerAccountId: this.accountId,
        FailedEntryCount: entries.filter((e) => 'ErrorCode' in e).length,
        EntryList: entries,
      });
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      send(error.status, { code: error.code, message: error.message, requestId });
    }
  }

  /** The ACS signature, recomputed here from what arrived. */
  private authenticate(req: IncomingMessage): void {
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(',') : (value ?? '');
    };
    if (
      req.method !== 'POST' ||
      new URL(req.url ?? '/', 'http://x').pathname !== '/openapi/putEvents'
    )
      throw new Refusal(404, 'NotFound', `no operation ${req.method} ${req.url}`);
    for (const name of ['date', 'authorization', 'x-acs-signature-nonce', 'x-eventbridge-version'])
      if (!header(name)) throw new Refusal(400, 'MissingHeader', `the header ${name} is missing`);
    if (
      header('x-acs-signature-method') !== 'HMAC-SHA1' ||
      header('x-acs-signature-version') !== '1.0'
    )
      throw new Refusal(
        400,
        'InvalidSignatureMethod',
        'the signature method must be HMAC-SHA1, version 1.0',
      );
    const date = Date.parse(header('date'));
    if (
      Number.isNaN(date) ||
      !/ GMT$/.test(header('date')) ||
      Math.abs(Date.now() - date) > MAX_CLOCK_SKEW_MS
    )
      throw new Refusal(
        403,
        'RequestTimeTooSkewed',
        `the Date ${header('date')} is not within 15 minutes of now`,
      );
    const match = /^acs:([^:]+):(.+)$/.exec(header('authorization'));
    if (!match)
      throw new Refusal(
        403,
        'InvalidAuthorization',
        'the Authorization header is not acs:<id>:<signature>',
      );
    const [, accessKeyId = '', signature = ''] = match;
    const credential = this.keys.get(accessKeyId);
    if (!credential)
      throw new Refusal(403, 'InvalidAccessKeyId', 'The access Id you provided is not exist.');
    if (this.expired.has(accessKeyId))
      throw new Refusal(403, 'StsAccessIdExpired', 'The sts accessid has expired.');
    if (credential.securityToken !== undefined) {
      if (
        header('x-acs-security-token') !== credential.securityToken ||
        header('x-acs-accesskey-id') !== accessKeyId
      )
        throw new Refusal(
          403,
          'SecurityTokenInvalid',
          'The Security token that your provide is invalid.',
        );
    }
    const acs = Object.keys(req.headers)
      .filter((name) => name.startsWith('x-acs'))
      .sort()
      .map((name) => `${name}:${header(name)}\n`)
      .join('');
    const path = req.url ?? '';
    const canonical = `${req.method}\n${header('content-md5')}\n${header('content-type')}\n${header('date')}\n${acs}${path}`;
    const expected = createHmac('sha1', credential.secret).update(canonical).digest();
    const given = Buffer.from(signature, 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new Refusal(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      );
    const nonce = header('x-acs-signature-nonce');
    if (this.nonces.has(nonce))
      throw new Refusal(403, 'SignatureNonceUsed', `the nonce ${nonce} was used before`);
    this.nonces.add(nonce);
  }

  private readEvents(req: IncomingMessage, raw: Buffer): PutEvent[] {
    if (!/^application\/cloudevents-batch\+json/.test(req.headers['content-type'] ?? ''))
      throw new Refusal(
        415,
        'UnsupportedMediaType',
        'PutEvents takes application/cloudevents-batch+json',
      );
    if (raw.length > MAX_BODY_BYTES)
      throw new Refusal(
        413,
        'EventsSizeExceed',
        `the events are ${raw.length} bytes, over ${MAX_BODY_BYTES}`,
      );
    let events: unknown;
    try {
      events = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new Refusal(400, 'InvalidArgument', 'the body is not JSON');
    }
    if (!Array.isArray(events) || events.length === 0 || events.length > MAX_ENTRIES)
      throw new Refusal(
        400,
        'InvalidArgument',
        `the body must be an array of 1 to ${MAX_ENTRIES} CloudEvents`,
      );
    for (const event of events as PutEvent[]) this.check(event);
    return events as PutEvent[];
  }

  private check(event: PutEvent): void {
    const text = (name: string, max: number) => {
      const value = event[name];
      if (typeof value !== 'string' || value === '' || value.length > max)
        throw new Refusal(
          400,
          'InvalidArgument',
          `the attribute ${name} must be a string of 1 to ${max} characters`,
        );
      return value;
    };
    if (event.specversion !== '1.0')
      throw new Refusal(
        400,
        'InvalidArgument',
        `specversion must be 1.0, got ${String(event.specversion)}`,
      );
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(text('id', 128)))
      throw new Refusal(400, 'InvalidArgument', 'the id takes letters, digits and hyphens');
    text('source', 128);
    text('type', 64);
    if (event.subject !== undefined) text('subject', 512);
    if (Number.isNaN(Date.parse(text('time', 64))))
      throw new Refusal(
        400,
        'InvalidArgument',
        `the time ${String(event.time)} is not a timestamp`,
      );
    const bus = text('aliyuneventbusname', 127);
    if (!this.buses.has(bus))
      throw new Refusal(404, 'EventBusNotExist', `The event bus [${bus}] not existed!`);
    if (Buffer.byteLength(JSON.stringify(event)) > MAX_EVENT_BYTES)
      throw new Refusal(400, 'EventSizeExceed', `an event is over ${MAX_EVENT_BYTES} bytes`);
  }
}
