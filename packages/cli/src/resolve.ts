import type { CheckpointStore, Logger } from '@keventer/core';
import { FileCheckpointStore } from '@keventer/core';
import { checkConfig } from './config/check-config.js';
import type { CheckedConfig, CheckpointSection } from './config/config-types.js';
import { type ConfigProblem, showPath } from './config/problems.js';
import type { ConfigSource } from './config/read-config.js';
import type { CliOptions, LogFormat, LogLevel } from './flags/cli-options.js';
import { type HighAvailability, loadHighAvailability } from './high-availability.js';
import type { ForwardingPlan, RoutePlan, SourcePlan } from './plan.js';
import { buildSink } from './sinks.js';
import { checkReadable, kubernetesSource } from './source/kubernetes-source.js';

/** Everything the CLI needs to run, from the command line and the config file. */
export interface ResolvedRun {
  readonly plan: ForwardingPlan;
  readonly checkpoint?: CheckpointSection;
  readonly leaderElection?: unknown;
  /** Loaded when leader election or the in-cluster checkpoint is asked for. */
  readonly highAvailability?: HighAvailability;
  readonly healthz: { readonly ip: string; readonly port: number };
  readonly eventMetrics: boolean;
}

/** Where a problem is (`keventer.yaml:12:7 routes[1].sink`, `--sink #2`) and what it is. */
export interface StartupProblem {
  readonly where: string;
  readonly message: string;
}

/** Every problem of the configuration, found before anything starts. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';

  constructor(readonly problems: readonly StartupProblem[]) {
    const lines = problems.map((p) => `  ${p.where}: ${p.message.replaceAll('\n', '\n    ')}`);
    super(
      `the configuration has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n${lines.join('\n')}`,
    );
  }
}

const DEFAULT_DRAIN_MS = 30_000;

/** The log settings alone: known before the rest is checked, so problems are logged as asked. */
export function logSettings(
  cli: CliOptions,
  config: CheckedConfig | undefined,
  fallbackFormat: LogFormat,
): { format: LogFormat; level: LogLevel } {
  return {
    format: cli.logFormat ?? config?.log?.format ?? fallbackFormat,
    level: cli.logLevel ?? config?.log?.level ?? 'info',
  };
}

/**
 * Merges the command line (it wins) and the config file, and checks all of
 * it: the file's shape, the source, each sink built once with its options
 * (then closed), the high-availability sections. Throws one
 * ConfigurationError listing every problem, with lines for the file's.
 */
export async function resolveRun(
  cli: CliOptions,
  file: ConfigSource | undefined,
  env: NodeJS.ProcessEnv,
): Promise<ResolvedRun> {
  const problems: StartupProblem[] = [];
  const fromFile = (list: readonly ConfigProblem[]) => {
    for (const p of list) {
      problems.push({
        where: `${file ? `${file.where(p.path)} ` : ''}${showPath(p.path)}`,
        message: p.message,
      });
    }
  };
  if (file && file.syntaxErrors.length > 0) {
    throw new ConfigurationError(
      file.syntaxErrors.map((e) => ({
        where: e.slice(0, e.indexOf(': ')),
        message: e.slice(e.indexOf(': ') + 2),
      })),
    );
  }
  const checked = checkConfig(file?.data);
  fromFile(checked.problems);
  const config = checked.config;

  const source = resolveSource(cli, config, env, problems, fromFile);

  const routes: { plan: RoutePlan; where: () => string }[] = [
    ...config.routes.map((plan, i) => ({
      plan,
      where: () => `${file?.where(['routes', i, 'sink']) ?? ''} routes[${i}].sink`.trim(),
    })),
    ...cli.sinks.map((uri, i) => ({ plan: { sink: { uri } }, where: () => `--sink #${i + 1}` })),
  ];
  if (routes.length === 0 && checked.problems.length === 0) {
    problems.push({
      where: file ? file.file : 'command line',
      message: "no sink: give --sink=<name>:<uri> (kube-eventer's), or routes in the --config file",
    });
  }
  // Built once to check their options now, not when the first event comes.
  for (const route of routes) {
    try {
      const built = await buildSink(route.plan.sink, env);
      await built.sink.close?.();
    } catch (error) {
      problems.push({ where: route.where(), message: oneLine(error) });
    }
  }

  const checkpoint =
    cli.checkpointFile !== undefined
      ? { type: 'file' as const, path: cli.checkpointFile }
      : config.checkpoint;
  // The sections were checked with the file; src/ha/ (client-node free, but not needed without them) loads only now.
  let highAvailability: HighAvailability | undefined;
  if (config.leaderElection !== undefined || checkpoint?.type === 'in-cluster') {
    try {
      highAvailability = await loadHighAvailability();
    } catch (error) {
      problems.push({ where: file?.file ?? 'config', message: oneLine(error) });
    }
  }
  if (problems.length > 0) throw new ConfigurationError(byLine(problems));
  return {
    plan: {
      source: source as SourcePlan,
      routes: routes.map((r) => r.plan),
      drainTimeoutMs: cli.drainTimeoutMs ?? config.drainTimeoutMs ?? DEFAULT_DRAIN_MS,
      ...(config.health !== undefined ? { health: config.health } : {}),
    },
    ...(checkpoint !== undefined ? { checkpoint } : {}),
    ...(config.leaderElection !== undefined ? { leaderElection: config.leaderElection } : {}),
    ...(highAvailability !== undefined ? { highAvailability } : {}),
    healthz: {
      ip: cli.healthzIp ?? config.healthz?.ip ?? '0.0.0.0',
      port: cli.healthzPort ?? config.healthz?.port ?? 8084,
    },
    eventMetrics: cli.eventMetrics ?? config.eventMetrics ?? true,
  };
}

function resolveSource(
  cli: CliOptions,
  config: CheckedConfig,
  env: NodeJS.ProcessEnv,
  problems: StartupProblem[],
  fromFile: (list: readonly ConfigProblem[]) => void,
): SourcePlan | undefined {
  const { uri, kubeconfig, ...stream } = config.source ?? {};
  if (cli.sources.length > 1) {
    // kube-eventer: "Wrong number of sources specified".
    problems.push({ where: '--source', message: `one source only (got ${cli.sources.length})` });
    return undefined;
  }
  const given = cli.sources[0] ?? uri;
  if (given !== undefined) {
    try {
      const found = kubernetesSource(given, env, env.KEVENTER_SERVICE_ACCOUNT_DIR);
      return {
        ...stream,
        kubeConfig: found.kubeConfig,
        describe: `${redactSource(given)}: ${found.describe}`,
      };
    } catch (error) {
      if (cli.sources[0] !== undefined)
        problems.push({ where: '--source', message: oneLine(error) });
      else fromFile([{ path: ['source', 'uri'], message: oneLine(error) }]);
      return undefined;
    }
  }
  if (kubeconfig !== undefined) {
    try {
      checkReadable(kubeconfig, 'kubeconfig');
    } catch (error) {
      fromFile([{ path: ['source', 'kubeconfig'], message: oneLine(error) }]);
      return undefined;
    }
    return { ...stream, kubeConfig: kubeconfig, describe: `kubeconfig ${kubeconfig}` };
  }
  return { ...stream, describe: 'KUBECONFIG, ~/.kube/config or the in-cluster service account' };
}

/** A source URI carries no secrets in kube-eventer's options, but a master may embed user:password. */
function redactSource(uri: string): string {
  return uri.replace(/\/\/[^/@?]*@/, '//***@');
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^\[keventer\] /, '');
}

/** The checkpoint store the config asks for, if any. */
export function createCheckpointStore(
  run: ResolvedRun,
  logger: Logger,
): CheckpointStore | undefined {
  const { checkpoint } = run;
  if (checkpoint === undefined) return undefined;
  if (checkpoint.type === 'file') return new FileCheckpointStore(checkpoint.path);
  if (!run.highAvailability) throw new Error('the in-cluster checkpoint needs src/ha/');
  return run.highAvailability.createInClusterCheckpoint(checkpoint.section, {
    kubeConfig: run.plan.source.kubeConfig,
    logger,
  });
}

/** The file's problems in the order of its lines, then the command line's. */
function byLine(problems: readonly StartupProblem[]): StartupProblem[] {
  const position = (p: StartupProblem): number => {
    const match = /:(\d+):(\d+)(?: |$)/.exec(p.where);
    return match ? Number(match[1]) * 10_000 + Number(match[2]) : Number.MAX_SAFE_INTEGER;
  };
  return [...problems].sort((a, b) => position(a) - position(b));
}
