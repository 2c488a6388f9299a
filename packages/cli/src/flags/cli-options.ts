import { ALL_FLAGS } from './flag-table.js';
import { type FlagValue, parseGoFlags, UsageError } from './go-flags.js';

export type LogFormat = 'json' | 'text';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The command line, typed and checked. Undefined: not given (the config file or a default decides). */
export interface CliOptions {
  readonly sources: readonly string[];
  readonly sinks: readonly string[];
  readonly healthzIp?: string;
  readonly healthzPort?: number;
  readonly eventMetrics?: boolean;
  readonly version: boolean;
  readonly config?: string;
  readonly dryRun: boolean;
  readonly logFormat?: LogFormat;
  readonly logLevel?: LogLevel;
  readonly drainTimeoutMs?: number;
  readonly checkpointFile?: string;
  /** One line per flag given that keventer accepts and ignores, saying why. */
  readonly ignored: readonly string[];
}

const MIN_FREQUENCY_MS = 5_000;
const MAX_FREQUENCY_MS = 180_000; // kube-eventer's MaxEventsScrapeDelay

/** Parses and checks the command line as kube-eventer would, plus keventer's flags. Throws UsageError. */
export function readCliOptions(args: readonly string[]): CliOptions {
  const { values } = parseGoFlags(args, ALL_FLAGS);
  const get = <T extends FlagValue>(name: string): T | undefined =>
    values.get(name) as T | undefined;

  // kube-eventer's validateFlags: still refused, so a command line either works in both or in neither.
  const port = get<number>('healthz-port');
  if (port !== undefined && port > 65534)
    throw new UsageError(`invalid port supplied for healthz ${port}`);
  const frequency = get<number>('frequency');
  if (frequency !== undefined && frequency < MIN_FREQUENCY_MS) {
    throw new UsageError(`frequency needs to be no less than 5s, supplied ${frequency}ms`);
  }
  if (frequency !== undefined && frequency > MAX_FREQUENCY_MS) {
    throw new UsageError(`frequency needs to be no greater than 3m0s, supplied ${frequency}ms`);
  }
  const logFormat = get<string>('log-format');
  if (logFormat !== undefined && logFormat !== 'json' && logFormat !== 'text') {
    throw new UsageError(
      `invalid value "${logFormat}" for flag -log-format: expected json or text`,
    );
  }
  const logLevel = get<string>('log-level');
  if (logLevel !== undefined && !['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    throw new UsageError(
      `invalid value "${logLevel}" for flag -log-level: expected debug, info, warn or error`,
    );
  }
  const drain = get<number>('drain-timeout');
  if (drain !== undefined && (drain < 0 || drain > 2_147_483_647)) {
    throw new UsageError(
      `invalid value for flag -drain-timeout: expected a duration from 0s to 596h`,
    );
  }
  const ignored = ALL_FLAGS.filter((f) => f.ignored && values.has(f.name)).map(
    (f) => `--${f.name} is accepted for kube-eventer's command line and ignored: ${f.ignored}`,
  );
  const config = get<string>('config');
  const checkpointFile = get<string>('checkpoint-file');
  return {
    sources: get<string[]>('source') ?? [],
    sinks: get<string[]>('sink') ?? [],
    ...optional('healthzIp', get<string>('healthz-ip')),
    ...optional('healthzPort', port),
    ...optional('eventMetrics', get<boolean>('event-metrics')),
    version: get<boolean>('version') ?? false,
    dryRun: get<boolean>('dry-run') ?? false,
    ...(config !== undefined ? { config } : {}),
    ...(logFormat !== undefined ? { logFormat: logFormat as LogFormat } : {}),
    ...(logLevel !== undefined ? { logLevel: logLevel as LogLevel } : {}),
    ...(drain !== undefined ? { drainTimeoutMs: drain } : {}),
    ...(checkpointFile !== undefined ? { checkpointFile } : {}),
    ignored,
  };
}

/** `{ key: value }` when given, `{}` when not (exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
