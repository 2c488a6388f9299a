/**
 * Redaction of secrets in sink URIs and messages. Everything that prints or
 * throws a URI goes through here, so a token never reaches a log line.
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
  'x-honeycomb-team',
]);
// Webhook services whose secret is a path segment: Feishu/Lark bot hooks,
// Slack incoming webhooks and workflow triggers.
const SECRET_PATH =
  /(\/(?:open-apis\/bot\/(?:v2\/)?hook|services|triggers|workflows)\/)[^\s?#'"]+/g;
// In a URI as typed (before expansion) `$TOKEN` is a reference, not the secret.
const ENV_REFERENCE = /^\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)$/;

/** True for option/query keys whose values are secrets (case-insensitive). */
export function isSecretKey(key: string): boolean {
  const lower = key.toLowerCase();
  return SECRET_KEYS.has(lower) || SECRET_PATTERN.test(lower);
}

/** True for HTTP header names whose values are secrets (webhook `header=K=V`). */
export function isSecretHeader(name: string): boolean {
  const lower = name.trim().toLowerCase();
  return SECRET_HEADERS.has(lower) || isSecretKey(lower);
}

/**
 * Redacts a sink URI (`dingtalk:https://...?access_token=X`), a plain URL, or
 * the `TARGET?QUERY` part of one: secret query values, `header=K=V` values of
 * secret headers, the password of `user:pw@` userinfo (URLs, MySQL DSNs), and
 * the secret path of Feishu/Lark and Slack webhooks.
 * Never throws, so it is safe on malformed input.
 *
 * `keepEnvReferences` leaves `access_token=$TOKEN` readable; only for a URI as
 * typed, before expansion (after it, a value may really start with '$').
 */
export function redactUri(uri: string, options: { keepEnvReferences?: boolean } = {}): string {
  const keepRefs = options.keepEnvReferences === true;
  const colon = uri.indexOf(':');
  // A bare `//host` or `?query` has no sink name to keep apart.
  if (colon <= 0 || /[/?@]/.test(uri.slice(0, colon))) return redactRest(uri, keepRefs);
  return `${uri.slice(0, colon)}:${redactRest(uri.slice(colon + 1), keepRefs)}`;
}

/** Redacts URLs and `secret=value` pairs found anywhere in free text. */
export function redactText(text: string): string {
  return text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>`]+/gi, (url) => redactRest(url, false))
    .replace(/(^|[\s?&;,(])([A-Za-z0-9_.-]+)=([^\s&;,)'"]*)/g, (whole, lead, key) =>
      isSecretKey(key) ? `${lead}${key}=${REDACTED}` : whole,
    );
}

function redactRest(rest: string, keepRefs: boolean): string {
  const q = rest.indexOf('?');
  if (q < 0) return redactPath(redactUserinfo(rest));
  return `${redactPath(redactUserinfo(rest.slice(0, q)))}?${redactQuery(rest.slice(q + 1), keepRefs)}`;
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

function redactQuery(query: string, keepRefs: boolean): string {
  const userinfoDone = redactUserinfo(query);
  return userinfoDone.replace(/(^|[?&])([^=&?#]+)=([^&#]*)/g, (whole, lead, rawKey, rawValue) => {
    const key = safeDecode(rawKey);
    const value = safeDecode(rawValue);
    if (keepRefs && ENV_REFERENCE.test(value)) return whole;
    if (isSecretKey(key)) return `${lead}${rawKey}=${REDACTED}`;
    if (key.toLowerCase() === 'header') {
      const eq = value.indexOf('=');
      if (eq > 0 && isSecretHeader(value.slice(0, eq))) {
        return `${lead}${rawKey}=${value.slice(0, eq)}=${REDACTED}`;
      }
    }
    return whole;
  });
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
