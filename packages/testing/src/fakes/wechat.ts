import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The WeCom APIs the fake serves. */
export type WeComApi = 'gettoken' | 'message/send' | 'webhook/send';

/** Options of {@link FakeWeComServer.start}. */
export interface FakeWeComServerOptions {
  /** The corp id gettoken accepts. @default 'ww00000000000000a1' */
  corpId?: string;
  /** The application secret gettoken accepts. @default 'fake-corp-secret' */
  corpSecret?: string;
  /** The application's agentid, checked by message/send. @default 1000002 */
  agentId?: number;
  /** Member userids that exist; others come back in `invaliduser`. @default every userid exists */
  users?: readonly string[];
  /** Group robot keys webhook/send accepts. @default ['fake-robot-key'] */
  robotKeys?: readonly string[];
  /** Lifetime of an access token, in seconds. @default 7200 */
  tokenTtlSeconds?: number;
  /** Messages one robot accepts in a sliding minute before answering 45009. @default 20 */
  robotMessagesPerMinute?: number;
  /** The clock (ms) for token expiry and the robot rate limit. @default Date.now */
  now?: () => number;
}

/** A fault for the next matching request, queued by {@link FakeWeComServer.failNext}. */
export interface WeComFault {
  /** The API that fails. @default whichever is called next */
  readonly api?: WeComApi;
  /** Answer HTTP 200 with this errcode (and `errmsg`, with WeCom's hint suffix). */
  readonly errcode?: number;
  readonly errmsg?: string;
  /** Answer this HTTP status with `body` instead. */
  readonly status?: number;
  readonly body?: string;
}

/** A message the application API accepted. */
export interface WeComAppMessage {
  readonly touser: string;
  readonly msgtype: 'text' | 'markdown';
  readonly agentid: number;
  readonly content: string;
  /** The content was over 2048 bytes and the service cut it, as WeCom does. */
  readonly cutByService: boolean;
  readonly accessToken: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/** A message a group robot accepted. */
export interface WeComRobotMessage {
  readonly key: string;
  readonly msgtype: 'text' | 'markdown';
  readonly content: string;
  readonly mentionedList: readonly string[];
  readonly mentionedMobileList: readonly string[];
  readonly body: Readonly<Record<string, unknown>>;
}

/** One request as received. */
export interface WeComRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: string;
}

type Answer = { status: number; body: string };
type Json = Record<string, unknown>;

const APP_CONTENT_MAX = 2048;
const ROBOT_CONTENT_MAX = { text: 2048, markdown: 4096 } as const;
const MINUTE_MS = 60_000;
const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * A local WeCom (WeChat Work) server with both APIs kube-eventer users meet:
 * the application API (`GET /cgi-bin/gettoken`, `POST /cgi-bin/message/send`,
 * tokens that expire) and group robots (`POST /cgi-bin/webhook/send?key=`,
 * 2048/4096-byte limits, 20 messages a minute). It checks requests as the
 * real service does and answers with its errcodes and errmsg texts.
 */
export class FakeWeComServer {
  /** Every request, in order. */
  readonly requests: WeComRequest[] = [];
  /** Messages the application API accepted. */
  readonly appMessages: WeComAppMessage[] = [];
  /** Messages the group robots accepted. */
  readonly robotMessages: WeComRobotMessage[] = [];
  /** How many times gettoken was called (answered or not). */
  tokenRequests = 0;

  readonly #options: Required<Omit<FakeWeComServerOptions, 'users'>> & { users?: Set<string> };
  readonly #tokens = new Map<string, number>();
  readonly #faults: WeComFault[] = [];
  readonly #robotSends = new Map<string, number[]>();
  #current: string | undefined;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    options: FakeWeComServerOptions,
  ) {
    this.#options = {
      corpId: options.corpId ?? 'ww00000000000000a1',
      corpSecret: options.corpSecret ?? 'fake-corp-secret',
      agentId: options.agentId ?? 1000002,
      robotKeys: options.robotKeys ?? ['fake-robot-key'],
      tokenTtlSeconds: options.tokenTtlSeconds ?? 7200,
      robotMessagesPerMinute: options.robotMessagesPerMinute ?? 20,
      now: options.now ?? Date.now,
      ...(options.users ? { users: new Set(options.users) } : {}),
    };
  }

  /** Starts on 127.0.0.1 at a random port. */
  static async start(options: FakeWeComServerOptions = {}): Promise<FakeWeComServer> {
    let fake: FakeWeComServer | undefined;
    const server = createServer((req, res) => {
      void (fake as FakeWeComServer).#handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeWeComServer(server, `http://127.0.0.1:${port}`, options);
    return fake;
  }

  /** The webhook URL of a robot, as WeCom shows it: `<url>/cgi-bin/webhook/send?key=KEY`. */
  robotUrl(key = this.#options.robotKeys[0] ?? ''): string {
    return `${this.url}/cgi-bin/webhook/send?key=${encodeURIComponent(key)}`;
  }

  /** Answers the next matching requests with these faults, in order. */
  failNext(...faults: WeComFault[]): void {
    this.#faults.push(...faults);
  }

  /** Expires every access token now: message/send answers 42001, gettoken issues a new one. */
  expireTokens(): void {
    const now = this.#options.now();
    for (const token of this.#tokens.keys()) this.#tokens.set(token, now);
  }

  /** Forgets recorded requests, messages, queued faults and the robots' rate windows. */
  reset(): void {
    this.requests.length = 0;
    this.appMessages.length = 0;
    this.robotMessages.length = 0;
    this.tokenRequests = 0;
    this.#faults.length = 0;
    this.#robotSends.clear();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname, query, body });
    const answer = this.#route(method, url.pathname, query, body);
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(answer.body);
  }

  #route(method: string, path: string, query: Record<string, string>, body: string): Answer {
    const api = API_PATHS[path];
    if (api === undefined) return { status: 404, body: '' };
    if (api === 'gettoken') this.tokenRequests++;
    const fault = this.#takeFault(api);
    if (fault) {
      if (fault.status !== undefined) return { status: fault.status, body: fault.body ?? '' };
      return weComError(fault.errcode ?? -1, fault.errmsg ?? 'system busy');
    }
    if (api === 'gettoken') return this.#getToken(query);
    if (method !== 'POST') return weComError(43002, 'require POST method');
    const json = parseObject(body);
    if (json === undefined) return weComError(47001, 'data format error');
    return api === 'message/send' ? this.#appSend(query, json) : this.#robotSend(query, json);
  }

  #takeFault(api: WeComApi): WeComFault | undefined {
    const at = this.#faults.findIndex((f) => f.api === undefined || f.api === api);
    return at < 0 ? undefined : this.#faults.splice(at, 1)[0];
  }

  // Within its lifetime the same token comes back, as WeCom documents.
  #getToken(query: Record<string, string>): Answer {
    const { corpId, corpSecret, tokenTtlSeconds, now } = this.#options;
    if (!query.corpid) return weComError(41002, 'corpid missing');
    if (!query.corpsecret) return weComError(41004, 'corpsecret missing');
    if (query.corpid !== corpId) return weComError(40013, 'invalid corpid');
    if (query.corpsecret !== corpSecret) return weComError(40001, 'invalid credential');
    const at = now();
    let expiresAt = this.#current === undefined ? undefined : this.#tokens.get(this.#current);
    if (this.#current === undefined || expiresAt === undefined || expiresAt <= at) {
      this.#current = randomBytes(48).toString('base64url');
      expiresAt = at + tokenTtlSeconds * 1000;
      this.#tokens.set(this.#current, expiresAt);
    }
    return ok({
      access_token: this.#current,
      expires_in: Math.floor((expiresAt - at) / 1000),
    });
  }

  #appSend(query: Record<string, string>, json: Json): Answer {
    const token = query.access_token;
    if (!token) return weComError(41001, 'access_token missing');
    const expiresAt = this.#tokens.get(token);
    if (expiresAt === undefined) return weComError(40014, 'invalid access_token');
    if (expiresAt <= this.#options.now()) return weComError(42001, 'access_token expired');
    if (json.agentid !== this.#options.agentId) return weComError(40056, 'invalid agentid');
    if (json.safe !== undefined && json.safe !== 0 && json.safe !== 1) {
      return weComError(40058, 'safe invalid Request Parameter');
    }
    const msgtype = json.msgtype;
    if (msgtype !== 'text' && msgtype !== 'markdown')
      return weComError(40008, 'invalid message type');
    const content = contentOf(json, msgtype);
    if (content === undefined) return weComError(44004, 'empty content');
    const recipients = typeof json.touser === 'string' ? json.touser : '';
    if (recipients === '') return weComError(40031, 'invalid userid list');
    const invalid = this.#unknownUsers(recipients);
    if (invalid.length > 0 && invalid.length === recipients.split('|').length) {
      return weComError(81013, 'user & party & tag all invalid');
    }
    const cut = utf8(content) > APP_CONTENT_MAX;
    this.appMessages.push({
      touser: recipients,
      msgtype,
      agentid: this.#options.agentId,
      content: cut ? Buffer.from(content).subarray(0, APP_CONTENT_MAX).toString('utf8') : content,
      cutByService: cut,
      accessToken: token,
      body: json,
    });
    return ok({
      invaliduser: invalid.join('|'),
      invalidparty: '',
      invalidtag: '',
      unlicenseduser: '',
      msgid: randomBytes(16).toString('base64url'),
    });
  }

  #unknownUsers(touser: string): string[] {
    const { users } = this.#options;
    if (touser === '@all' || users === undefined) return [];
    return touser.split('|').filter((user) => !users.has(user));
  }

  #robotSend(query: Record<string, string>, json: Json): Answer {
    const key = query.key ?? '';
    if (!this.#options.robotKeys.includes(key)) return weComError(93000, 'invalid webhook url');
    const msgtype = json.msgtype;
    if (msgtype !== 'text' && msgtype !== 'markdown')
      return weComError(40008, 'invalid message type');
    const content = contentOf(json, msgtype);
    if (content === undefined) return weComError(44004, 'empty content');
    const max = ROBOT_CONTENT_MAX[msgtype];
    if (utf8(content) > max) {
      return weComError(
        40058,
        `${msgtype}.content exceed max length ${max}. invalid Request Parameter`,
      );
    }
    const section = json[msgtype] as Json;
    const mentionedList = section.mentioned_list ?? [];
    const mentionedMobileList = section.mentioned_mobile_list ?? [];
    if (!isStringArray(mentionedList) || !isStringArray(mentionedMobileList)) {
      return weComError(40058, 'mentioned_list invalid Request Parameter');
    }
    if (!this.#withinRobotLimit(key)) return weComError(45009, 'api freq out of limit');
    this.robotMessages.push({
      key,
      msgtype,
      content,
      mentionedList,
      mentionedMobileList,
      body: json,
    });
    return ok({});
  }

  #withinRobotLimit(key: string): boolean {
    const now = this.#options.now();
    const recent = (this.#robotSends.get(key) ?? []).filter((at) => at > now - MINUTE_MS);
    const allowed = recent.length < this.#options.robotMessagesPerMinute;
    if (allowed) recent.push(now);
    this.#robotSends.set(key, recent);
    return allowed;
  }
}

const API_PATHS: Readonly<Record<string, WeComApi>> = {
  '/cgi-bin/gettoken': 'gettoken',
  '/cgi-bin/message/send': 'message/send',
  '/cgi-bin/webhook/send': 'webhook/send',
};

function ok(fields: Json): Answer {
  return { status: 200, body: JSON.stringify({ errcode: 0, errmsg: 'ok', ...fields }) };
}

/** WeCom's error body: HTTP 200, the errcode, and errmsg with its hint suffix. */
function weComError(errcode: number, errmsg: string): Answer {
  const hint = randomBytes(8).toString('hex');
  const more = `more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`;
  return {
    status: 200,
    body: JSON.stringify({
      errcode,
      errmsg: `${errmsg}, hint: [${hint}], from ip: 127.0.0.1, ${more}`,
    }),
  };
}

function parseObject(text: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Json)
      : undefined;
  } catch {
    return undefined;
  }
}

function contentOf(json: Json, msgtype: 'text' | 'markdown'): string | undefined {
  const section = json[msgtype];
  if (typeof section !== 'object' || section === null) return undefined;
  const content = (section as Json).content;
  return typeof content === 'string' && content !== '' ? content : undefined;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
