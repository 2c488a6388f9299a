import { inspect } from 'node:util';
import { SinkConfigError } from '../contract/errors.js';
import { type Env, expandEnv } from '../options/env.js';
import { redactUri, safeDecode } from '../secrets/redact.js';
import { getSinkDefinition } from './registry.js';

/**
 * A kube-eventer style sink URI, `NAME[:TARGET][?OPTIONS]`:
 * `dingtalk:https://oapi.dingtalk.com/robot/send?access_token=$TOKEN&label=a&label=b`,
 * `kafka:?brokers=a:9092&brokers=b:9092`, `riemann:h:5555?ttl=60`, `log`.
 */
export interface ParsedSinkUri {
  readonly scheme: string;
  /** Everything between the first ':' and the first '?', e.g. the endpoint URL; may be ''. */
  readonly target: string;
  /** Sink options from the query, decoded; repeated keys keep every value in order. */
  readonly params: ReadonlyMap<string, readonly string[]>;
  /** `batch.*`, `buffer.*`, `request.*`, `aggregate.*` keys: settings of the delivery engine, not the sink. */
  readonly delivery: Readonly<Record<string, string>>;
  /** The query exactly as written (after env expansion): a MySQL DSN lives here. */
  readonly rawQuery: string;
  /** The URI with secrets redacted; safe to print. */
  toString(): string;
}

/** Lowercase, and a valid npm name part (a scheme may name the package @keventer/<scheme>). */
export const SINK_SCHEME = /^[a-z][a-z0-9._-]*$/;
const DELIVERY_PREFIXES = ['batch.', 'buffer.', 'request.', 'aggregate.'];
const LOOKS_LIKE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Parses `--sink=NAME:REST` as kube-eventer does: split at the first ':',
 * expand `$VAR`/`${VAR}` in REST (an unset variable is an error), then read
 * the target and the query. Throws SinkConfigError with the URI redacted.
 */
export function parseSinkUri(uri: string, options: { env?: Env } = {}): ParsedSinkUri {
  const text = uri.trim();
  const colon = text.indexOf(':');
  const scheme = colon < 0 ? text : text.slice(0, colon);
  const rest = colon < 0 ? '' : text.slice(colon + 1);
  // Once the sink is defined, its schema says which options are secret.
  const schema = getSinkDefinition(scheme)?.options;
  const typed = redactUri(text, { keepEnvReferences: true, ...(schema ? { schema } : {}) });
  if (!SINK_SCHEME.test(scheme))
    throw new SinkConfigError('', [schemeProblem(scheme)], { uri: typed });

  const expanded = expandEnv(rest, options.env ?? process.env);
  const problems = [
    ...expanded.unset.map((name) => `environment variable $${name} is not set`),
    ...expanded.malformed.map((ref) => `bad variable reference ${showReference(ref)}`),
  ];
  const q = expanded.value.indexOf('?');
  const target = q < 0 ? expanded.value : expanded.value.slice(0, q);
  const rawQuery = q < 0 ? '' : expanded.value.slice(q + 1);
  if (problems.length === 0 && LOOKS_LIKE_URL.test(target) && !URL.canParse(target)) {
    problems.push(`the target '${redactUri(target, schema ? { schema } : {})}' is not a valid URL`);
  }
  if (problems.length > 0) throw new SinkConfigError(scheme, problems, { uri: typed });

  const { params, delivery } = parseQuery(rawQuery);
  const source = rest === '' ? scheme : `${scheme}:${expanded.value}`;
  return new SinkUri(scheme, target, params, delivery, rawQuery, source);
}

// What is inside a malformed `${...}` may be a secret typed in the wrong place.
function showReference(ref: string): string {
  const shown = /^\$\{[A-Za-z0-9_]{0,32}\}$/.test(ref)
    ? `'${ref}'`
    : `'\${…}' (${ref.length} characters)`;
  return `${shown}: write \${NAME} with letters, digits and _, or $$ for a literal $`;
}

function schemeProblem(scheme: string): string {
  if (scheme === '') return "missing sink name: expected NAME[:TARGET][?OPTIONS], e.g. 'log'";
  const beforeQuery = scheme.split('?')[0] ?? '';
  if (scheme.includes('?') && SINK_SCHEME.test(beforeQuery)) {
    return `options need a ':' before the '?': write '${beforeQuery}:?...'`;
  }
  if (SINK_SCHEME.test(scheme.toLowerCase()))
    return `sink names are lowercase: write '${scheme.toLowerCase()}'`;
  return `invalid sink name '${scheme}': expected NAME[:TARGET][?OPTIONS] with a lowercase NAME`;
}

// Like Go's url.ParseQuery: split on '&', decode '+' and %XX, keep repeats.
function parseQuery(rawQuery: string) {
  const params = new Map<string, string[]>();
  const delivery: Record<string, string> = {};
  // indexOf rather than split: a query of 300,000 '&' makes no array of empty strings.
  for (let start = 0; start <= rawQuery.length; ) {
    let end = rawQuery.indexOf('&', start);
    if (end < 0) end = rawQuery.length;
    const piece = rawQuery.slice(start, end);
    start = end + 1;
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const key = safeDecode(eq < 0 ? piece : piece.slice(0, eq));
    const value = eq < 0 ? '' : safeDecode(piece.slice(eq + 1));
    if (DELIVERY_PREFIXES.some((p) => key.startsWith(p))) {
      delivery[key] = value;
      continue;
    }
    const values = params.get(key);
    if (values) values.push(value);
    else params.set(key, [value]);
  }
  return { params, delivery };
}

class SinkUri implements ParsedSinkUri {
  readonly #source: string;

  constructor(
    readonly scheme: string,
    readonly target: string,
    readonly params: ReadonlyMap<string, readonly string[]>,
    readonly delivery: Readonly<Record<string, string>>,
    readonly rawQuery: string,
    source: string,
  ) {
    this.#source = source;
  }

  /** Redacted by the sink's schema once it is defined (secret and unknown options), else by name. */
  toString(): string {
    const schema = getSinkDefinition(this.scheme)?.options;
    return redactUri(this.#source, schema ? { schema } : {});
  }

  toJSON(): string {
    return this.toString();
  }

  // console.log / util.inspect would otherwise print target and rawQuery raw.
  [inspect.custom](): string {
    return `ParsedSinkUri <${this.toString()}>`;
  }
}
