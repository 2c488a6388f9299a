import type { Option, OptionSchema } from '../options/options.js';

/**
 * Redaction of secrets in sink URIs and messages. Everything that prints or
 * throws a URI goes through here, so a token never reaches a log line.
 *
 * Every pattern below is linear: quantifiers that could restart at each
 * character are bounded, so a hostile 256 KiB answer costs milliseconds.
 */

export const REDACTED = '***';

// Query keys that kube-eventer's sinks (and common clients) use for secrets.
const SECRET_KEYS = new Set([
  'access_token',
  'accesskeysecret',
  'apikey',
  'corp_secret',
  'corpsecret',
  'esusersecret',
  'key',
  'passwd',
  'password',
  'pw',
  'pwd',
  'sasl_password',
  'secret',
  'sign',
  'signature',
  'token',
  'writekey',
]);
// Catches the variants (clientSecret, x-auth-token, saslPassword, api_key, ...).
const SECRET_PATTERN = /secret|passw|token|api[-_]?key|write[-_]?key|credential|private[-_]?key/;
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-honeycomb-team',
]);
// Header names that carry credentials by convention: X-Auth-Key,
// Ocp-Apim-Subscription-Key, X-Functions-Key, X-Session-Id, X-Signature.
const SECRET_HEADER_PATTERN = /auth|key|session|signature|cookie/;
// Webhook services whose secret is a path segment: Feishu/Lark bot hooks,
// Slack incoming webhooks and workflow triggers.
const SECRET_PATH =
  /(\/(?:open-apis\/bot\/(?:v2\/)?hook|services|triggers|workflows)\/)[^\s?#'"<>]+/g;
// The same shapes without a URL around them, as a server echoes its path
// (`Cannot POST /services/T0/B0/XYZ`); narrower, so `/api/v1/services/x` stays.
const BARE_SECRET_PATH =
  /(\/(?:open-apis\/bot\/(?:v2\/)?hook|services\/T[A-Z0-9]{1,32}\/B[A-Z0-9]{1,32}|(?:triggers|workflows)\/T[A-Z0-9]{1,32})\/)[^\s?#'"<>]+/g;
// A URL in prose; the scheme is bounded so the search stays linear.
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s'"<>`]+/gi;
const PAIR_IN_TEXT = /(^|[\s?&;,(])([A-Za-z0-9_.-]{1,128})=([^\s&;,)'"]*)/g;
// `"token": "abc"` in an echoed JSON body.
const JSON_PAIR_IN_TEXT = /"([A-Za-z0-9_.-]{1,128})"(\s{0,8}:\s{0,8})"((?:[^"\\]|\\.){0,4096})"/g;
// `Authorization: Bearer abc` in an echoed request.
const HEADER_IN_TEXT = /(^|[\s"'{,;])([A-Za-z][A-Za-z0-9-]{0,63})(\s{0,8}:\s{0,8})([^\r\n"',;}]+)/g;
// A header entry as the `header` option takes it, `Name=Value` or the typo `Name:Value`.
const HEADER_ENTRY = /^([!#$%&'*+.^_`|~0-9A-Za-z-]{1,64})(\s*[=:])/;
// In a URI as typed (before expansion) `$TOKEN` is a reference, not the secret.
const ENV_REFERENCE = /^\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)$/;
const DELIVERY_PREFIXES = ['batch.', 'buffer.', 'request.', 'aggregate.'];

/** True for option/query keys whose values are secrets (case-insensitive). */
export function isSecretKey(key: string): boolean {
  const lower = key.toLowerCase();
  return SECRET_KEYS.has(lower) || SECRET_PATTERN.test(lower);
}

/** True for HTTP header names whose values are secrets (webhook `header=K=V`). */
export function isSecretHeader(name: string): boolean {
  const lower = name.trim().toLowerCase();
  return SECRET_HEADERS.has(lower) || SECRET_HEADER_PATTERN.test(lower) || isSecretKey(lower);
}

export interface RedactUriOptions {
  /**
   * Leaves `access_token=$TOKEN` readable; only for a URI as typed, before
   * expansion (after it, a value may really start with '$').
   */
  keepEnvReferences?: boolean;
  /**
   * The sink's option schema, when known: options it declares `secret` are
   * hidden, and so are keys it does not declare (a misspelt `sing=SEC...`).
   * The target counts as the `endpoint` option.
   */
  schema?: OptionSchema;
}

/**
 * Redacts a sink URI (`dingtalk:https://...?access_token=X`), a plain URL, or
 * the `TARGET?QUERY` part of one: secret query values, `header=K=V` values of
 * secret headers, the password of `user:pw@` userinfo (URLs, MySQL DSNs), and
 * the secret path of Feishu/Lark and Slack webhooks; with a schema, also
 * whatever it declares secret. Never throws, so it is safe on malformed input.
 */
export function redactUri(uri: string, options: RedactUriOptions = {}): string {
  const colon = uri.indexOf(':');
  // A bare `//host` or `?query` has no sink name to keep apart.
  if (colon <= 0 || /[/?@]/.test(uri.slice(0, colon))) return redactRest(uri, options);
  return `${uri.slice(0, colon)}:${redactRest(uri.slice(colon + 1), options)}`;
}

/**
 * Redacts URLs, `secret=value` pairs, `"secret": "value"` JSON members,
 * credential headers (`Authorization: Bearer x`) and webhook secret paths
 * found anywhere in free text.
 */
export function redactText(text: string): string {
  return text
    .replace(URL_IN_TEXT, (url) => redactRest(url, {}))
    .replace(BARE_SECRET_PATH, `$1${REDACTED}`)
    .replace(PAIR_IN_TEXT, (whole, lead, key) =>
      isSecretKey(key) ? `${lead}${key}=${REDACTED}` : whole,
    )
    .replace(JSON_PAIR_IN_TEXT, (whole, key, colon) =>
      isSecretHeader(key) ? `"${key}"${colon}"${REDACTED}"` : whole,
    )
    .replace(HEADER_IN_TEXT, (whole, lead, name, colon) =>
      isHeaderName(name) ? `${lead}${name}${colon}${REDACTED}` : whole,
    );
}

// Only names that are plainly headers: prose says "the signature: check ...".
function isHeaderName(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_HEADERS.has(lower) || (lower.includes('-') && isSecretHeader(lower));
}

function redactRest(rest: string, options: RedactUriOptions): string {
  const q = rest.indexOf('?');
  const target = q < 0 ? rest : rest.slice(0, q);
  const shown = redactTarget(target, options.schema);
  return q < 0 ? shown : `${shown}?${redactQuery(rest.slice(q + 1), options)}`;
}

function redactTarget(target: string, schema: OptionSchema | undefined): string {
  const endpoint = schema?.endpoint;
  if (endpoint?.secret && target !== '') return hideUrlSecret(target);
  return redactPath(redactUserinfo(target));
}

/**
 * A secret URL (a Slack or Feishu webhook): its origin stays readable, and
 * the start of a known secret path (`/services/***`); the rest is hidden.
 */
function hideUrlSecret(url: string): string {
  const known = redactPath(redactUserinfo(url));
  if (known !== url && !known.includes('?')) return known;
  const origin = /^([a-z][a-z0-9+.-]{0,31}:\/\/)(?:[^\s/?#@]*@)?([^\s/?#@]*)/i.exec(url);
  if (!origin) return REDACTED;
  const rest = url.slice(origin[0].length);
  return `${origin[1]}${origin[2]}${rest === '' || rest === '/' ? rest : `/${REDACTED}`}`;
}

function redactPath(text: string): string {
  return text.replace(SECRET_PATH, `$1${REDACTED}`);
}

// `scheme://user:pw@host` or a DSN starting `user:pw@tcp(...)`; the password
// may itself contain '@', so the match runs to the last '@' of the authority.
function redactUserinfo(text: string): string {
  return text.replace(/(^|\/\/)([^\s/?#@:]*):([^\s/?#]*)@/, (_m, lead, user) => {
    return `${lead}${user}:${REDACTED}@`;
  });
}

function redactQuery(query: string, options: RedactUriOptions): string {
  const keepRefs = options.keepEnvReferences === true;
  const userinfoDone = redactUserinfo(query);
  return userinfoDone.replace(/(^|[?&])([^=&?#]+)=([^&#]*)/g, (whole, lead, rawKey, rawValue) => {
    const key = safeDecode(rawKey);
    const value = safeDecode(rawValue);
    if (keepRefs && ENV_REFERENCE.test(value)) return whole;
    const verdict = judgeKey(key, value, options.schema);
    if (verdict === 'secret') return `${lead}${rawKey}=${hideValue(value)}`;
    if (verdict === 'header') return `${lead}${rawKey}=${hideHeaderValue(value)}`;
    return `${lead}${rawKey}=${redactPath(rawValue)}`;
  });
}

type Verdict = 'secret' | 'header' | 'clear';

function judgeKey(key: string, value: string, schema: OptionSchema | undefined): Verdict {
  if (DELIVERY_PREFIXES.some((p) => key.startsWith(p))) return 'clear';
  if (schema) {
    const option = findOption(schema, key);
    // Undeclared: a misspelt option may well hold a secret.
    if (option === undefined || option.secret) return 'secret';
  }
  if (isSecretKey(key)) return 'secret';
  if (key.toLowerCase() === 'header') {
    const entry = HEADER_ENTRY.exec(value);
    return entry && !isSecretHeader(entry[1] ?? '') ? 'clear' : 'header';
  }
  return 'clear';
}

function findOption(schema: OptionSchema, key: string): Option | undefined {
  if (Object.hasOwn(schema, key)) return schema[key];
  return Object.values(schema).find((option) => option.aliases.includes(key));
}

// `Name=Value` (a header) keeps its name, a URL its origin: neither is the secret.
function hideValue(value: string): string {
  if (HEADER_ENTRY.test(value)) return hideHeaderValue(value);
  if (/^[a-z][a-z0-9+.-]{0,31}:\/\//i.test(value)) return hideUrlSecret(value);
  return REDACTED;
}

function hideHeaderValue(value: string): string {
  const entry = HEADER_ENTRY.exec(value);
  return entry ? `${entry[1]}${(entry[2] ?? '=').trim()}${REDACTED}` : REDACTED;
}

/** Form-decodes like Go's url.ParseQuery; keeps the raw text if it is malformed. */
export function safeDecode(text: string): string {
  const plus = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}
