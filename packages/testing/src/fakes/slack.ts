import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Options of {@link FakeSlackWebhook.start}. */
export interface FakeSlackWebhookOptions {
  /** The path after `/services/`: `TEAM/BOT/SECRET`. @default `T0FAKE00/B0FAKE00/` + 24 random characters */
  path?: string;
  /** Messages allowed per rolling window. @default { max: 1, windowMs: 1000 } (about 1 a second) */
  rateLimit?: { max?: number; windowMs?: number };
  /** The webhook's clock in ms, for the rate limit. @default Date.now */
  now?: () => number;
}

/** A message the webhook accepted. */
export interface SlackMessage {
  /** As Slack keeps it: cut after 40,000 characters. */
  readonly text?: string;
  readonly blocks?: readonly Record<string, unknown>[];
  /** The whole body as received. */
  readonly body: Record<string, unknown>;
}

/** One request and how the webhook answered it. */
export interface SlackRequest {
  readonly path: string;
  readonly body: string;
  readonly status: number;
  readonly answer: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** An answer queued with `failNext`: a named real error, or any status and text body. */
export type SlackFailure =
  | keyof typeof SLACK_ERRORS
  | { status: number; body: string; headers?: Record<string, string> };

/** Slack's incoming webhook errors: HTTP status and text body. */
export const SLACK_ERRORS = {
  invalid_payload: 400,
  no_text: 400,
  invalid_blocks: 400,
  invalid_token: 403,
  action_prohibited: 403,
  no_service: 404,
  channel_not_found: 404,
  channel_is_archived: 410,
  rate_limited: 429,
  internal_error: 500,
} as const;

type Answer = { status: number; body: string; headers?: Record<string, string> };

const TEXT_MAX = 40_000;
const BLOCKS_MAX = 50;
const TEXT_TYPES = new Set(['mrkdwn', 'plain_text']);
const OTHER_BLOCKS = new Set(['image', 'actions', 'rich_text', 'input', 'file', 'video']);

/**
 * A local Slack incoming webhook that checks requests as Slack does: the
 * webhook path (404 `no_service`, 403 `invalid_token`), a JSON body with
 * `text` or `blocks` (400 `no_text`), the blocks themselves (50 at most, a
 * section's text 3,000 characters, a header's 150: 400 `invalid_blocks`), and
 * about 1 message a second (429 `rate_limited` with Retry-After). It records
 * the messages it accepted.
 *
 * ```ts
 * const hook = await FakeSlackWebhook.start();
 * await sink.write(events, ctx); // slack({ endpoint: hook.url })
 * hook.messages[0]?.text;
 * ```
 */
export class FakeSlackWebhook {
  /** Messages accepted, in order. */
  readonly messages: SlackMessage[] = [];
  /** Every request, with the answer given. */
  readonly requests: SlackRequest[] = [];
  /** `TEAM/BOT/SECRET`, the path after `/services/`. */
  readonly path: string;
  readonly #options: FakeSlackWebhookOptions;
  readonly #queued: Answer[] = [];
  readonly #sent: number[] = [];
  readonly #server: Server;
  #origin = '';

  private constructor(options: FakeSlackWebhookOptions) {
    this.#options = options;
    this.path = options.path ?? `T0FAKE00/B0FAKE00/${randomBytes(18).toString('base64url')}`;
    this.#server = createServer((req, res) => this.#receive(req, res));
  }

  /** Starts a webhook on 127.0.0.1 with a random port. */
  static async start(options: FakeSlackWebhookOptions = {}): Promise<FakeSlackWebhook> {
    const hook = new FakeSlackWebhook(options);
    await new Promise<void>((resolve) => hook.#server.listen(0, '127.0.0.1', resolve));
    hook.#origin = `http://127.0.0.1:${(hook.#server.address() as AddressInfo).port}`;
    return hook;
  }

  /** The webhook URL: `http://127.0.0.1:PORT/services/TEAM/BOT/SECRET`. */
  get url(): string {
    return `${this.#origin}/services/${this.path}`;
  }

  /** `http://127.0.0.1:PORT` */
  get origin(): string {
    return this.#origin;
  }

  /** Answers the next requests with these, in order, before any check but the path's. */
  failNext(...failures: SlackFailure[]): void {
    for (const failure of failures) {
      if (typeof failure === 'object') this.#queued.push(failure);
      else if (failure === 'rate_limited') this.#queued.push(rateLimited(30_000));
      else this.#queued.push({ status: SLACK_ERRORS[failure], body: failure });
    }
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #receive(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const answer = this.#judge(req, body);
      const headers = { 'content-type': 'text/html', ...answer.headers };
      this.requests.push({
        path: req.url ?? '',
        body,
        status: answer.status,
        answer: answer.body,
        headers,
      });
      res.writeHead(answer.status, headers);
      res.end(answer.body);
    });
  }

  #judge(req: IncomingMessage, raw: string): Answer {
    const path = (req.url ?? '').replace(/^\/services\//, '');
    if (path !== this.path) {
      // Right team and bot with a wrong secret is a bad token; anything else, no webhook.
      const sameHook =
        path.split('/').slice(0, 2).join('/') === this.path.split('/').slice(0, 2).join('/');
      return sameHook && req.url?.startsWith('/services/')
        ? error('invalid_token')
        : error('no_service');
    }
    const queued = this.#queued.shift();
    if (queued) return queued;
    if (req.method !== 'POST') return error('invalid_payload');
    const waitMs = this.#rateWait();
    if (waitMs > 0) return rateLimited(waitMs);
    const body = parseBody(raw, req.headers['content-type'] ?? '');
    if (!body || (body.text !== undefined && typeof body.text !== 'string')) {
      return error('invalid_payload');
    }
    const text = typeof body.text === 'string' && body.text !== '' ? body.text : undefined;
    const blocks = Array.isArray(body.blocks) && body.blocks.length > 0 ? body.blocks : undefined;
    if (text === undefined && blocks === undefined) return error('no_text');
    if (body.blocks !== undefined && !validBlocks(body.blocks)) return error('invalid_blocks');
    this.#sent.push(this.#now());
    this.messages.push({
      ...(text === undefined ? {} : { text: text.slice(0, TEXT_MAX) }),
      ...(blocks === undefined ? {} : { blocks: blocks as Record<string, unknown>[] }),
      body,
    });
    return { status: 200, body: 'ok' };
  }

  /** 0 when a message may go now, else how long until it may (rolling window). */
  #rateWait(): number {
    const now = this.#now();
    const { max = 1, windowMs = 1000 } = this.#options.rateLimit ?? {};
    while (this.#sent.length > 0 && (this.#sent[0] ?? 0) <= now - windowMs) this.#sent.shift();
    if (this.#sent.length < max) return 0;
    return (this.#sent[this.#sent.length - max] ?? now) + windowMs - now;
  }

  #now(): number {
    return this.#options.now?.() ?? Date.now();
  }
}

function error(name: keyof typeof SLACK_ERRORS): Answer {
  return { status: SLACK_ERRORS[name], body: name };
}

function rateLimited(waitMs: number): Answer {
  const seconds = String(Math.max(1, Math.ceil(waitMs / 1000)));
  return { status: 429, body: 'rate_limited', headers: { 'retry-after': seconds } };
}

/** JSON, or the form encoding's `payload=` field (both are accepted by Slack). */
function parseBody(raw: string, contentType: string): Record<string, unknown> | undefined {
  const json = contentType.includes('application/x-www-form-urlencoded')
    ? new URLSearchParams(raw).get('payload')
    : raw;
  try {
    const value: unknown = JSON.parse(json ?? '');
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A text object of an allowed type, 1 to `max` characters. */
function isText(v: unknown, max: number, type?: string): boolean {
  return (
    isObject(v) &&
    typeof v.type === 'string' &&
    (type === undefined ? TEXT_TYPES.has(v.type) : v.type === type) &&
    typeof v.text === 'string' &&
    v.text.length >= 1 &&
    v.text.length <= max
  );
}

function validBlocks(blocks: unknown): boolean {
  return Array.isArray(blocks) && blocks.length <= BLOCKS_MAX && blocks.every(validBlock);
}

function validBlock(block: unknown): boolean {
  if (!isObject(block) || typeof block.type !== 'string') return false;
  if (block.block_id !== undefined) {
    if (typeof block.block_id !== 'string' || block.block_id.length > 255) return false;
  }
  switch (block.type) {
    case 'section': {
      const { text, fields } = block;
      if (text === undefined && fields === undefined) return false;
      if (text !== undefined && !isText(text, 3000)) return false;
      if (fields === undefined) return true;
      return (
        Array.isArray(fields) &&
        fields.length >= 1 &&
        fields.length <= 10 &&
        fields.every((f) => isText(f, 2000))
      );
    }
    case 'header':
      return isText(block.text, 150, 'plain_text');
    case 'context': {
      const { elements } = block;
      return (
        Array.isArray(elements) &&
        elements.length >= 1 &&
        elements.length <= 10 &&
        elements.every((e) => isText(e, 3000) || (isObject(e) && e.type === 'image'))
      );
    }
    case 'divider':
      return true;
    default:
      return OTHER_BLOCKS.has(block.type);
  }
}
