/**
 * Command-line parsing as Go's `flag` package does it, so kube-eventer's
 * command lines run unchanged: `-name=value`, `--name=value`, `-name value`,
 * `--name value`; a boolean takes no separate value (`-name`, `-name=false`);
 * `--` ends the flags. Unlike Go, an argument that is not a flag is refused:
 * Go would stop there and silently ignore every flag after it
 * (`--event-metrics false --sink=...` would lose the sink).
 */

export type FlagKind = 'string' | 'list' | 'bool' | 'duration' | 'int' | 'uint';

export interface FlagSpec {
  readonly name: string;
  readonly kind: FlagKind;
  /** As Go's usage prints it. */
  readonly usage: string;
  /** As a string, as Go's usage shows it. */
  readonly default?: string;
  /** Accepted for compatibility and otherwise ignored; said once in the log. */
  readonly ignored?: string;
}

export type FlagValue = string | readonly string[] | boolean | number;

export interface ParsedFlags {
  /** Each flag given (a list flag: every value in order), by name. */
  readonly values: ReadonlyMap<string, FlagValue>;
}

/** Exit code 2 with the usage, as Go's flag.ExitOnError. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** `-h`, `-help`, `--help`: usage and exit 0. */
export class HelpRequested extends Error {
  override readonly name = 'HelpRequested';
}

export function parseGoFlags(args: readonly string[], specs: readonly FlagSpec[]): ParsedFlags {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const values = new Map<string, FlagValue>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      if (i + 1 < args.length) throw extraArgs(args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') throw extraArgs(args.slice(i));
    const body = arg.slice(arg.startsWith('--') ? 2 : 1);
    if (body === '' || body.startsWith('-') || body.startsWith('=')) {
      throw new UsageError(`bad flag syntax: ${arg}`);
    }
    const eq = body.indexOf('=');
    const name = eq === -1 ? body : body.slice(0, eq);
    let text = eq === -1 ? undefined : body.slice(eq + 1);
    const spec = byName.get(name);
    if (!spec) {
      if (name === 'h' || name === 'help') throw new HelpRequested('help requested');
      throw new UsageError(`flag provided but not defined: -${name}`);
    }
    if (spec.kind === 'bool') {
      values.set(name, parseBool(name, text ?? 'true'));
      continue;
    }
    if (text === undefined) {
      if (i + 1 >= args.length) throw new UsageError(`flag needs an argument: -${name}`);
      text = args[++i] as string;
    }
    if (spec.kind === 'list') {
      const list = (values.get(name) as readonly string[] | undefined) ?? [];
      values.set(name, [...list, text]);
    } else {
      values.set(name, parseValue(spec, text));
    }
  }
  return { values };
}

function extraArgs(rest: readonly string[]): UsageError {
  return new UsageError(
    `unexpected argument ${JSON.stringify(rest[0])}: every argument must be a flag (-name=value); a boolean takes its value after '=' (--event-metrics=false)`,
  );
}

/** Go's strconv.ParseBool. */
function parseBool(name: string, text: string): boolean {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(text)) return false;
  throw new UsageError(`invalid boolean value ${JSON.stringify(text)} for -${name}: parse error`);
}

function parseValue(spec: FlagSpec, text: string): FlagValue {
  switch (spec.kind) {
    case 'duration': {
      const ms = parseGoDuration(text);
      if (ms === undefined) throw invalid(spec, text, 'a duration such as 30s, 1m30s or 500ms');
      return ms;
    }
    case 'int':
    case 'uint': {
      const min = spec.kind === 'uint' ? 0 : -(2 ** 63);
      if (!/^[+-]?\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
        throw invalid(spec, text, spec.kind === 'uint' ? 'a non-negative integer' : 'an integer');
      }
      return Number(text);
    }
    default:
      return text;
  }
}

function invalid(spec: FlagSpec, text: string, expected: string): UsageError {
  return new UsageError(
    `invalid value ${JSON.stringify(text)} for flag -${spec.name}: expected ${expected}`,
  );
}

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go's time.ParseDuration, in milliseconds: `1h2m3.5s`, `300ms`, `-1.5h`, `0`. */
export function parseGoDuration(text: string): number | undefined {
  const match = /^([+-]?)(.+)$/.exec(text);
  if (!match) return undefined;
  const [, sign, rest = ''] = match;
  if (rest === '0') return 0;
  const part = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  while (at < rest.length) {
    part.lastIndex = at;
    const m = part.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    at = part.lastIndex;
  }
  if (rest.length === 0) return undefined;
  return sign === '-' ? -total : total;
}
