import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Options of {@link FakeFeishuBot.start}. */
export interface FakeFeishuBotOptions {
  /** The hook token in the webhook path. @default a random UUID */
  token?: string;
  /** The signing secret: when set, every message must carry a valid `timestamp` and `sign`. */
  secret?: string;
  /** Security keywords: when set, a message must contain one of them. */
  keywords?: readonly string[];
  /** IP allow-list: when set, requests from other addresses are refused (19022). */
  allowedIps?: readonly string[];
  /** Messages a bot may send. @default { perSecond: 5, perMinute: 100 } */
  rateLimit?: { perSecond?: number; perMinute?: number };
  /** Largest request body, in bytes. @default 20480 (the guide's "20K") */
  maxBodyBytes?: number;
  /** Answer success in the legacy `{"StatusCode":0,...}` form only. @default false */
  legacyAnswers?: boolean;
  /** The bot's clock in ms, for the signature's one-hour window and the rate limits. @default Date.now */
  now?: () => number;
}

/** A message the bot accepted. */
export interface FeishuMessage {
  readonly msgType: string;
  /** `content` of text, post, image and share_chat messages. */
  readonly content?: unknown;
  /** `card` of interactive messages. */
  readonly card?: unknown;
  /** Every string in the content or card, joined by newlines (for assertions). */
  readonly text: string;
  /** The whole body as received. */
  readonly body: Record<string, unknown>;
}

/** One request and how the bot answered it. */
export interface FeishuRequest {
  readonly path: string;
  readonly body: string;
  readonly status: number;
  readonly answer: Record<string, unknown>;
}

/** An answer queued with `failNext`: a named real rejection, or any status and JSON body. */
export type FeishuFailure =
  | keyof typeof FEISHU_ERRORS
  | 'serverError'
  | { status: number; body: unknown; headers?: Record<string, string> };

/** The error bodies Feishu's custom bot answers with. */
export const FEISHU_ERRORS = {
  badRequest: { code: 9499, msg: 'Bad Request', data: {} },
  tokenInvalid: {
    code: 19001,
    msg: 'param invalid: incoming webhook access token invalid',
    data: {},
  },
  msgTypeInvalid: { code: 19002, msg: 'param invalid: msg_type', data: {} },
  signMismatch: {
    code: 19021,
    msg: 'sign match fail or timestamp is not within one hour from current time',
    data: {},
  },
  ipNotAllowed: { code: 19022, msg: 'Ip Not Allowed', data: {} },
  keywordMissing: { code: 19024, msg: 'Key Words Not Found', data: {} },
  rateLimited: {
    code: 11232,
    msg: 'frequency limited psm[lark.oapi.app_platform_runtime]appID[1]',
    data: {},
  },
} as const;

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

const HOOK_PREFIX = '/open-apis/bot/v2/hook/';
const SUCCESS = { StatusCode: 0, StatusMessage: 'success', code: 0, data: {}, msg: 'success' };
const LEGACY_SUCCESS = { Extra: null, StatusCode: 0, StatusMessage: 'success' };
const SIGN_WINDOW_S = 3600;
const POST_LOCALES = new Set(['zh_cn', 'en_us', 'ja_jp']);
const POST_TAGS = new Set(['text', 'a', 'at', 'img', 'media', 'emotion', 'hr', 'code_block', 'md']);
const CARD_COLOURS = new Set(
  'blue wathet turquoise green yellow orange red carmine violet purple indigo grey default'.split(
    ' ',
  ),
);

/**
 * A local Feishu / Lark custom bot webhook that checks requests as the real
 * one does: the hook token, the body size (20 KB), the signature (recomputed
 * here, timestamp in seconds within an hour), the IP allow-list, the shape of
 * each msg_type, the keywords, and 5 a second / 100 a minute. It answers
 * with Feishu's codes and records the messages it accepted.
 *
 * ```ts
 * const bot = await FakeFeishuBot.start({ secret: 'S', keywords: ['k8s'] });
 * await sink.write(events, ctx); // feishu({ endpoint: bot.url, sign: 'S', label: ['k8s'] })
 * bot.messages[0].text;
 * ```
 */
export class FakeFeishuBot {
  /** Messages accepted, in order. */
  readonly messages: FeishuMessage[] = [];
  /** Every request, with the answer given. */
  readonly requests: FeishuRequest[] = [];
  readonly token: string;
  readonly #options: FakeFeishuBotOptions;
  readonly #queued: Answer[] = [];
  readonly #sent: number[] = [];
  readonly #server: Server;
  #origin = '';

  private constructor(options: FakeFeishuBotOptions) {
    this.#options = options;
    this.token = options.token ?? randomUUID();
    this.#server = createServer((req, res) => this.#receive(req, res));
  }

  /** Starts a bot on 127.0.0.1 with a random port. */
  static async start(options: FakeFeishuBotOptions = {}): Promise<FakeFeishuBot> {
    const bot = new FakeFeishuBot(options);
    await new Promise<void>((resolve) => bot.#server.listen(0, '127.0.0.1', resolve));
    bot.#origin = `http://127.0.0.1:${(bot.#server.address() as AddressInfo).port}`;
    return bot;
  }

  /** The webhook URL: `http://127.0.0.1:PORT/open-apis/bot/v2/hook/TOKEN`. */
  get url(): string {
    return `${this.#origin}${HOOK_PREFIX}${this.token}`;
  }

  /** `http://127.0.0.1:PORT` */
  get origin(): string {
    return this.#origin;
  }

  /** Answers the next requests with these, in order, before any check. */
  failNext(...failures: FeishuFailure[]): void {
    for (const failure of failures) this.#queued.push(toAnswer(failure));
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #receive(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const answer = this.#judge(req, raw);
      this.requests.push({
        path: req.url ?? '',
        body: raw.toString('utf8'),
        status: answer.status,
        answer: answer.body as Record<string, unknown>,
      });
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.body));
    });
  }

  #judge(req: IncomingMessage, raw: Buffer): Answer {
    const path = req.url ?? '';
    if (req.method !== 'POST' || !path.startsWith(HOOK_PREFIX)) {
      return { status: 404, body: { code: 404, msg: '404 page not found' } };
    }
    if (path.slice(HOOK_PREFIX.length) !== this.token) return fail('tokenInvalid');
    const queued = this.#queued.shift();
    if (queued) return queued;
    if (!this.#takeRateSlot()) return fail('rateLimited');
    if (raw.length > (this.#options.maxBodyBytes ?? 20 * 1024)) return fail('badRequest');
    const body = parseObject(raw.toString('utf8'));
    if (!body) return fail('badRequest');
    if (!this.#ipAllowed(req.socket.remoteAddress ?? '')) return fail('ipNotAllowed');
    if (this.#options.secret !== undefined && !this.#signed(body, this.#options.secret)) {
      return fail('signMismatch');
    }
    const msgType = body.msg_type;
    if (typeof msgType !== 'string' || !Object.hasOwn(SHAPES, msgType)) {
      return fail('msgTypeInvalid');
    }
    const payload = msgType === 'interactive' ? body.card : body.content;
    if (!SHAPES[msgType as keyof typeof SHAPES](payload)) return fail('badRequest');
    const text = stringsIn(payload).join('\n');
    const { keywords } = this.#options;
    if (keywords && keywords.length > 0 && !keywords.some((k) => text.includes(k))) {
      return fail('keywordMissing');
    }
    this.messages.push({
      msgType,
      ...(msgType === 'interactive' ? { card: body.card } : { content: body.content }),
      text,
      body,
    });
    return { status: 200, body: this.#options.legacyAnswers ? LEGACY_SUCCESS : SUCCESS };
  }

  // Both limits hold over rolling windows of the requests let through.
  #takeRateSlot(): boolean {
    const now = this.#now();
    const { perSecond = 5, perMinute = 100 } = this.#options.rateLimit ?? {};
    while (this.#sent.length > 0 && (this.#sent[0] ?? 0) <= now - 60_000) this.#sent.shift();
    const lastSecond = this.#sent.filter((at) => at > now - 1000).length;
    if (lastSecond >= perSecond || this.#sent.length >= perMinute) return false;
    this.#sent.push(now);
    return true;
  }

  #ipAllowed(address: string): boolean {
    const { allowedIps } = this.#options;
    if (!allowedIps || allowedIps.length === 0) return true;
    return allowedIps.includes(address.replace(/^::ffff:/, ''));
  }

  // Recomputed from the documentation: key = `${timestamp}\n${secret}`, empty message.
  #signed(body: Record<string, unknown>, secret: string): boolean {
    const { timestamp, sign } = body;
    if (typeof timestamp !== 'string' && typeof timestamp !== 'number') return false;
    if (typeof sign !== 'string' || !/^\d+$/.test(String(timestamp))) return false;
    if (Math.abs(this.#now() / 1000 - Number(timestamp)) > SIGN_WINDOW_S) return false;
    const expected = createHmac('sha256', `${timestamp}\n${secret}`).digest();
    const given = Buffer.from(sign, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  #now(): number {
    return this.#options.now?.() ?? Date.now();
  }
}

function fail(name: keyof typeof FEISHU_ERRORS): Answer {
  return { status: name === 'badRequest' ? 400 : 200, body: FEISHU_ERRORS[name] };
}

function toAnswer(failure: FeishuFailure): Answer {
  if (typeof failure === 'object') return failure;
  if (failure === 'serverError') return { status: 500, body: { code: 500, msg: 'internal error' } };
  return fail(failure);
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string';

/** What each msg_type's `content` (or `card`) must look like. */
const SHAPES = {
  text: (c: unknown) => isObject(c) && isText(c.text) && c.text !== '',
  post: (c: unknown) => isObject(c) && isPost(c.post),
  interactive: (card: unknown) => isObject(card) && isCard(card),
  image: (c: unknown) => isObject(c) && isText(c.image_key),
  share_chat: (c: unknown) => isObject(c) && isText(c.share_chat_id),
};

function isPost(post: unknown): boolean {
  if (!isObject(post)) return false;
  const locales = Object.entries(post);
  return (
    locales.length > 0 &&
    locales.every(
      ([locale, body]) =>
        POST_LOCALES.has(locale) &&
        isObject(body) &&
        (body.title === undefined || isText(body.title)) &&
        Array.isArray(body.content) &&
        body.content.every((line) => Array.isArray(line) && line.every(isPostElement)),
    )
  );
}

function isPostElement(element: unknown): boolean {
  if (!isObject(element) || !isText(element.tag) || !POST_TAGS.has(element.tag)) return false;
  if (element.tag === 'text') return isText(element.text);
  if (element.tag === 'a') return isText(element.text) && isText(element.href);
  if (element.tag === 'at') return isText(element.user_id);
  return true;
}

// Card JSON 1.0 (`elements`) or 2.0 (`schema: "2.0"`, `body.elements`).
function isCard(card: Record<string, unknown>): boolean {
  const elements =
    card.schema === '2.0' && isObject(card.body) ? card.body.elements : card.elements;
  if (!Array.isArray(elements) || !elements.every((e) => isObject(e) && isText(e.tag))) {
    return false;
  }
  const { header } = card;
  if (header === undefined) return true;
  return (
    isObject(header) &&
    isObject(header.title) &&
    isText(header.title.content) &&
    (header.template === undefined ||
      (isText(header.template) && CARD_COLOURS.has(header.template)))
  );
}

// Element tags, colours and ids are not text a reader sees.
const NOT_TEXT = new Set(['tag', 'template', 'user_id', 'image_key', 'href']);

/** Every shown string, depth first: what a keyword is searched in. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([key, v]) => (NOT_TEXT.has(key) ? [] : stringsIn(v)));
}
