import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A DingTalk answer: always HTTP 200 with `errcode` (0 for success) and `errmsg`. */
export interface DingTalkAnswer {
  readonly errcode: number;
  readonly errmsg: string;
}

/**
 * DingTalk's answers as the real service words them (errmsg texts as seen in
 * its replies; 310000 uses the current `description:...;solution:...` form).
 */
export const DINGTALK_ANSWERS = {
  ok: { errcode: 0, errmsg: 'ok' },
  tokenNotExist: { errcode: 300001, errmsg: 'token is not exist' },
  keywordsNotInContent: {
    errcode: 310000,
    errmsg:
      'description:关键词不匹配;solution:请联系群管理员查看此机器人的关键词，并在发送的信息中包含此关键词;',
  },
  signNotMatch: {
    errcode: 310000,
    errmsg:
      'description:机器人发送签名不匹配;solution:请确认签名和生成签名的时间戳必须都放在调用的网址中，请确认机器人的密钥加密和填写正确;link:请参考本接口对应文档获得具体要求，或者在https://open.dingtalk.com/document/  搜索相关文档;',
  },
  timestampExpired: {
    errcode: 310000,
    errmsg:
      'description:机器人发送签名过期;solution:签名生成时间和发送时间请保持在 timestampms 以内;',
  },
  ipNotAllowed: {
    errcode: 310000,
    errmsg: 'description:ip 不在白名单中;solution:请联系对应群的管理员，设置机器人安全ip地址段;',
  },
  sendTooFast: { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' },
  bodyTooLarge: {
    errcode: 460101,
    errmsg: 'description: body 大小不合法;solution:请保持大小在 20000bytes 以内;',
  },
  missingJson: { errcode: 40035, errmsg: '缺少参数 json' },
  badContentType: { errcode: 43004, errmsg: '无效的HTTP HEADER Content-Type' },
  postRequired: { errcode: 43002, errmsg: '需要POST请求' },
  groupDissolved: { errcode: 400013, errmsg: '群已被解散' },
} as const satisfies Record<string, DingTalkAnswer>;

/** A robot the fake knows: its token and its security settings. */
export interface FakeDingTalkRobot {
  readonly token: string;
  /** Signing secret (SEC...): requests must carry `timestamp` and a valid `sign`. */
  readonly secret?: string;
  /** Security keywords: a message must contain at least one. */
  readonly keywords?: readonly string[];
  /** IP allow-list: requests from other addresses are refused. */
  readonly allowedIps?: readonly string[];
}

export interface FakeDingTalkServerOptions extends Partial<FakeDingTalkRobot> {
  /** Accepted messages per rolling minute per robot. @default 20 */
  readonly ratePerMinute?: number;
  /** How long a robot over its rate stays blocked. @default 600000 (10 minutes, as DingTalk) */
  readonly blockMs?: number;
  /** The server's clock in ms: signing timestamps, the rate window, blocks. @default Date.now */
  readonly clock?: () => number;
}

/** An injected answer: a DingTalk errcode, or raw HTTP (a 502, a proxy's HTML page). */
export type FakeDingTalkFault =
  | DingTalkAnswer
  | { readonly status: number; readonly body?: string; readonly headers?: Record<string, string> };

/** Who a message @mentions. */
export interface FakeDingTalkMentions {
  readonly atMobiles: readonly string[];
  readonly atUserIds: readonly string[];
  readonly isAtAll: boolean;
}

/** A message the fake accepted. */
export interface FakeDingTalkMessage {
  readonly token: string;
  /** `text`, `markdown`, `link`, `actionCard` or `feedCard`. */
  readonly msgtype: string;
  /** text.content, or the `text` of markdown, link and actionCard messages. */
  readonly content: string;
  /** The title of markdown, link and actionCard messages; '' for text. */
  readonly title: string;
  readonly at: FakeDingTalkMentions;
  /** The body as parsed. */
  readonly body: Readonly<Record<string, unknown>>;
  /** The server clock when it was accepted. */
  readonly receivedAt: number;
}

/** Every request the fake got, accepted or not, with its answer. */
export interface FakeDingTalkRequest {
  readonly method: string;
  /** Path and query as sent, e.g. `/robot/send?access_token=...&timestamp=...&sign=...`. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly answer: FakeDingTalkFault;
}

const PATH = '/robot/send';
const MINUTE_MS = 60_000;
const TIMESTAMP_TOLERANCE_MS = 3_600_000;
const MAX_BODY_BYTES = 20_000;
const NOT_FOUND = { status: 404, body: '{"errcode":404,"errmsg":"请求的URI地址不存在"}' };

/**
 * A local DingTalk custom-robot API (`POST /robot/send?access_token=...`) that
 * checks requests as strictly as the real service: the token, the signature
 * (recomputed here) and its one-hour timestamp window, the IP allow-list, the
 * JSON body shape, the 20000-byte body limit, the keywords, and 20 messages a
 * minute per robot, after which the robot is blocked for 10 minutes. Errors
 * are HTTP 200 with DingTalk's errcode and errmsg. Accepted messages are kept
 * in `messages`; `renderChat()` shows them as the group would.
 *
 * ```ts
 * const ding = await FakeDingTalkServer.start({ token: 't', secret: 'SECx', keywords: ['prod'] });
 * const sink = await dingtalk({ endpoint: ding.url, access_token: 't', sign: 'SECx', label: ['prod'] });
 * ```
 */
export class FakeDingTalkServer {
  readonly messages: FakeDingTalkMessage[] = [];
  readonly requests: FakeDingTalkRequest[] = [];
  readonly #robots = new Map<string, FakeDingTalkRobot>();
  readonly #sent = new Map<string, number[]>();
  readonly #blockedUntil = new Map<string, number>();
  readonly #faults: FakeDingTalkFault[] = [];
  readonly #server: Server;
  readonly #rate: number;
  readonly #blockMs: number;
  readonly #clock: () => number;
  /** The default robot, the one `start`'s options describe. */
  readonly robot: FakeDingTalkRobot;

  private constructor(
    server: Server,
    readonly url: string,
    options: FakeDingTalkServerOptions,
  ) {
    this.#server = server;
    this.#rate = options.ratePerMinute ?? 20;
    this.#blockMs = options.blockMs ?? 10 * MINUTE_MS;
    this.#clock = options.clock ?? Date.now;
    const { ratePerMinute: _r, blockMs: _b, clock: _c, ...robot } = options;
    this.robot = { ...robot, token: robot.token ?? 'fake-dingtalk-token' };
    this.addRobot(this.robot);
  }

  /**
   * Listens on 127.0.0.1 at a free port; `url` is the endpoint
   * (`http://127.0.0.1:PORT/robot/send`). The robot's token defaults to `fake-dingtalk-token`.
   */
  static async start(options: FakeDingTalkServerOptions = {}): Promise<FakeDingTalkServer> {
    let fake: FakeDingTalkServer | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const request = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: raw.toString('utf8'),
          bytes: raw.length,
          ip: (req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
        };
        const self = fake as FakeDingTalkServer;
        const answer = self.#answer(request);
        const { bytes: _n, ip: _i, ...recorded } = request;
        self.requests.push({ ...recorded, answer });
        const http = 'errcode' in answer ? { status: 200, body: JSON.stringify(answer) } : answer;
        const type = { 'content-type': 'application/json;charset=utf-8' };
        res.writeHead(http.status, { ...type, ...('headers' in http ? http.headers : {}) });
        res.end(http.body ?? '');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeDingTalkServer(server, `http://127.0.0.1:${port}${PATH}`, options);
    return fake;
  }

  /** Another robot (token) this server accepts. */
  addRobot(robot: FakeDingTalkRobot): void {
    this.#robots.set(robot.token, robot);
  }

  /** Answers the next requests with these, in order, before any check. */
  failNext(...faults: FakeDingTalkFault[]): void {
    this.#faults.push(...faults);
  }

  /** Until when (server clock) a robot is blocked for sending too fast; undefined if it is not. */
  blockedUntil(token = this.robot.token): number | undefined {
    const until = this.#blockedUntil.get(token);
    return until !== undefined && until > this.#clock() ? until : undefined;
  }

  /**
   * A kube-eventer style sink URI for the default robot, with its token and
   * secret and any extra options: `dingtalk:http://127.0.0.1:PORT/robot/send?access_token=...`.
   */
  sinkUri(params: Readonly<Record<string, string | readonly string[]>> = {}): string {
    const query = new URLSearchParams({ access_token: this.robot.token });
    if (this.robot.secret !== undefined) query.set('sign', this.robot.secret);
    for (const [key, value] of Object.entries(params)) {
      for (const v of typeof value === 'string' ? [value] : value) query.append(key, v);
    }
    return `dingtalk:${this.url}?${query}`;
  }

  /** The accepted messages as the group sees them: time, title, text, mentions. */
  renderChat(): string {
    return this.messages.map(renderGroupMessage).join('\n\n');
  }

  /** Forgets messages, requests, rate windows, blocks and queued faults. */
  reset(): void {
    this.messages.length = 0;
    this.requests.length = 0;
    this.#sent.clear();
    this.#blockedUntil.clear();
    this.#faults.length = 0;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #answer(req: {
    method: string;
    url: string;
    headers: IncomingHttpHeaders;
    body: string;
    bytes: number;
    ip: string;
  }): FakeDingTalkFault {
    const fault = this.#faults.shift();
    if (fault) return fault;
    const url = new URL(req.url, 'http://fake');
    if (url.pathname !== PATH) return NOT_FOUND;
    if (req.method !== 'POST') return DINGTALK_ANSWERS.postRequired;
    // URLSearchParams form-decodes like the real server: an unencoded '+' in sign reads as a space.
    const query = url.searchParams;
    const robot = this.#robots.get(query.get('access_token') ?? '');
    if (!robot) return DINGTALK_ANSWERS.tokenNotExist;
    const now = this.#clock();
    const refused = securityCheck(robot, query, req.ip, now);
    if (refused) return refused;
    if (this.blockedUntil(robot.token) !== undefined) return DINGTALK_ANSWERS.sendTooFast;
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return DINGTALK_ANSWERS.badContentType;
    }
    if (req.bytes > MAX_BODY_BYTES) return DINGTALK_ANSWERS.bodyTooLarge;
    const parsed = parseMessage(req.body);
    if ('errcode' in parsed) return parsed;
    if (
      robot.keywords &&
      !robot.keywords.some((k) => `${parsed.title}${parsed.content}`.includes(k))
    ) {
      return DINGTALK_ANSWERS.keywordsNotInContent;
    }
    const recent = (this.#sent.get(robot.token) ?? []).filter((t) => now - t < MINUTE_MS);
    if (recent.length >= this.#rate) {
      this.#blockedUntil.set(robot.token, now + this.#blockMs);
      return DINGTALK_ANSWERS.sendTooFast;
    }
    this.#sent.set(robot.token, [...recent, now]);
    this.messages.push({ ...parsed, token: robot.token, receivedAt: now });
    return DINGTALK_ANSWERS.ok;
  }
}

/** The IP allow-list, then the signature and its timestamp window. */
function securityCheck(
  robot: FakeDingTalkRobot,
  query: URLSearchParams,
  ip: string,
  now: number,
): DingTalkAnswer | undefined {
  if (robot.allowedIps && !robot.allowedIps.includes(ip)) return DINGTALK_ANSWERS.ipNotAllowed;
  if (robot.secret === undefined) return undefined;
  const timestamp = query.get('timestamp') ?? '';
  const sign = query.get('sign');
  if (!/^\d+$/.test(timestamp) || sign === null) return DINGTALK_ANSWERS.signNotMatch;
  if (Math.abs(now - Number(timestamp)) > TIMESTAMP_TOLERANCE_MS) {
    return DINGTALK_ANSWERS.timestampExpired;
  }
  // Recomputed here from the protocol, not with the sink's code.
  const expected = createHmac('sha256', robot.secret)
    .update(`${timestamp}\n${robot.secret}`)
    .digest();
  const given = Buffer.from(sign, 'base64');
  const valid =
    given.length === expected.length &&
    given.toString('base64') === sign &&
    timingSafeEqual(given, expected);
  return valid ? undefined : DINGTALK_ANSWERS.signNotMatch;
}

type ParsedMessage = Omit<FakeDingTalkMessage, 'token' | 'receivedAt'>;

// `miss param` codes follow DingTalk's numbering: 4xxx01 for the message object,
// then its fields (400202 text->content, 400402/400403 markdown->title/text, ...).
// 400101/400102 for a missing or unknown msgtype follow the same pattern.
const SHAPES: Readonly<Record<string, { base: number; fields: readonly string[] }>> = {
  text: { base: 400200, fields: ['', 'content'] },
  link: { base: 400300, fields: ['', 'text', 'title', 'messageUrl'] },
  markdown: { base: 400400, fields: ['', 'title', 'text'] },
  actionCard: { base: 400500, fields: ['', 'title', 'text'] },
  feedCard: { base: 400600, fields: ['', 'links'] },
};

const missParam = (errcode: number, what: string): DingTalkAnswer => ({
  errcode,
  errmsg: `miss param : ${what}`,
});

/** Checks the body as DingTalk does: valid JSON, a known msgtype, its required fields. */
function parseMessage(body: string): ParsedMessage | DingTalkAnswer {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return DINGTALK_ANSWERS.missingJson;
  }
  if (!isRecord(json)) return DINGTALK_ANSWERS.missingJson;
  const { msgtype } = json;
  if (typeof msgtype !== 'string' || msgtype === '') return missParam(400101, 'msgtype');
  const shape = SHAPES[msgtype];
  if (!shape) return { errcode: 400102, errmsg: `invalid msgtype : ${msgtype}` };
  const inner = json[msgtype];
  if (!isRecord(inner)) return missParam(shape.base + 1, msgtype);
  for (const [i, field] of shape.fields.entries()) {
    if (field === '') continue;
    const value = inner[field];
    const present = field === 'links' ? Array.isArray(value) && value.length > 0 : nonEmpty(value);
    if (!present) return missParam(shape.base + i + 1, `${msgtype}->${field}`);
  }
  const at = mentions(json.at);
  if (!at) return DINGTALK_ANSWERS.missingJson;
  const content = msgtype === 'text' ? inner.content : inner.text;
  return {
    msgtype,
    content: typeof content === 'string' ? content : '',
    title: typeof inner.title === 'string' ? inner.title : '',
    at,
    body: json,
  };
}

function mentions(at: unknown): FakeDingTalkMentions | undefined {
  if (at === undefined) return { atMobiles: [], atUserIds: [], isAtAll: false };
  if (!isRecord(at)) return undefined;
  const list = (v: unknown) =>
    v === undefined
      ? []
      : Array.isArray(v) && v.every((x) => typeof x === 'string')
        ? v
        : undefined;
  const atMobiles = list(at.atMobiles);
  const atUserIds = list(at.atUserIds);
  const isAtAll = at.isAtAll ?? false;
  if (!atMobiles || !atUserIds || typeof isAtAll !== 'boolean') return undefined;
  return { atMobiles, atUserIds, isAtAll };
}

/** One message as a group member reads it: markdown marks gone, mentions shown. */
function renderGroupMessage(message: FakeDingTalkMessage): string {
  const time = new Date(message.receivedAt).toISOString().slice(11, 19);
  const title = message.title === '' ? '' : ` · ${message.title}`;
  const text =
    message.msgtype === 'text'
      ? message.content
      : message.content
          .replace(/^#{1,6} /gm, '')
          .replace(/\*\*(.*?)\*\*/g, '$1')
          .replace(/\n{2,}/g, '\n');
  const { atMobiles, atUserIds, isAtAll } = message.at;
  // A text message shows its mentions even when the content does not name them.
  const unnamed = [...atMobiles, ...atUserIds].filter((who) => !text.includes(`@${who}`));
  const tags = [...unnamed.map((who) => `@${who}`), ...(isAtAll ? ['@all'] : [])];
  return `[${time}] robot${title}\n${text}${tags.length > 0 ? `\n${tags.join(' ')}` : ''}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}
