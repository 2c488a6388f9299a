import { createRequire } from 'node:module';
import { type CheckpointStore, type Logger, StreamConfigError, serveHealth } from '@keventer/core';
import { type ConfigSource, readConfigFile } from './config/read-config.js';
import { printDryRun } from './dry-run.js';
import { type CliOptions, type LogFormat, readCliOptions } from './flags/cli-options.js';
import { usage } from './flags/flag-table.js';
import { HelpRequested, UsageError } from './flags/go-flags.js';
import { createLogger, defaultLogFormat, type LogOutput } from './log/logger.js';
import {
  ConfigurationError,
  createCheckpointStore,
  logSettings,
  type ResolvedRun,
  resolveRun,
} from './resolve.js';
import { Forwarding } from './run.js';

export interface MainIo {
  readonly stdout: LogOutput;
  readonly stderr: LogOutput;
  readonly env: NodeJS.ProcessEnv;
  /** Aborted on SIGTERM/SIGINT: drain, save the checkpoint, exit 0. */
  readonly stop: AbortSignal;
}

/** Exit codes: 0 done (or stopped by a signal), 1 configuration or runtime failure, 2 bad command line. */
export async function main(args: readonly string[], io: MainIo): Promise<number> {
  let cli: CliOptions;
  try {
    cli = readCliOptions(args);
  } catch (error) {
    if (error instanceof HelpRequested) {
      io.stderr.write(usage());
      return 0;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\n${usage()}`);
      return 2;
    }
    throw error;
  }
  if (cli.version) {
    io.stdout.write(`keventer version ${version()} (kube-eventer command line compatible)\n`);
    return 0;
  }
  let file: ConfigSource | undefined;
  try {
    file = cli.config === undefined ? undefined : await readConfigFile(cli.config);
  } catch (error) {
    io.stderr.write(`keventer: ${(error as Error).message}\n`);
    return 1;
  }
  const { format, level } = logSettings(cli, validLog(file), defaultLogFormat(io.stdout));
  const logger = createLogger(format, level, io.stdout);
  for (const line of cli.ignored) logger.info(line);

  let run: ResolvedRun;
  try {
    run = await resolveRun(cli, file, io.env);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    io.stderr.write(`keventer: ${error.message}\n`);
    return 1;
  }
  if (cli.dryRun) {
    await printDryRun(run, io.stdout, logger, io.env);
    return 0;
  }
  return serve(run, logger, io);
}

async function serve(run: ResolvedRun, logger: Logger, io: MainIo): Promise<number> {
  let checkpoint: CheckpointStore | undefined;
  try {
    checkpoint = createCheckpointStore(run, logger);
  } catch (error) {
    if (!(error instanceof StreamConfigError)) throw error;
    io.stderr.write(`keventer: the in-cluster checkpoint: ${withoutPrefix(error)}\n`);
    return 1;
  }
  const forwarding = new Forwarding(run.plan, {
    logger,
    metrics: run.eventMetrics,
    env: io.env,
    elected: run.leaderElection !== undefined,
    ...(checkpoint !== undefined ? { checkpoint } : {}),
  });
  const server = await serveHealth(() => forwarding.health(), {
    host: run.healthz.ip,
    port: run.healthz.port,
    ...(run.eventMetrics ? { metrics: async () => (await forwarding.metricsText()) ?? '' } : {}),
  });
  logger.info(
    { url: server.url, source: run.plan.source.describe },
    'keventer started: /healthz, /readyz, /metrics',
  );
  try {
    if (run.highAvailability && run.leaderElection !== undefined) {
      try {
        await run.highAvailability.runWithLeaderElection(run.leaderElection, forwarding, {
          kubeConfig: run.plan.source.kubeConfig,
          logger,
          signal: io.stop,
        });
      } catch (error) {
        if (!(error instanceof StreamConfigError)) throw error;
        // No cluster to hold the Lease on: a configuration problem, not a crash.
        io.stderr.write(`keventer: leader election: ${withoutPrefix(error)}\n`);
        return 1;
      }
      await forwarding.stop();
      return 0;
    }
    return await forwardUntilStopped(forwarding, logger, io.stop);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/** Forwards until the stop signal (then drains: exit 0) or until the forwarder fails (exit 1). */
async function forwardUntilStopped(
  forwarding: Forwarding,
  logger: Logger,
  stop: AbortSignal,
): Promise<number> {
  let session: Awaited<ReturnType<Forwarding['start']>>;
  try {
    session = await forwarding.start();
  } catch (error) {
    // Checked at startup already; a sink can still fail to build (a file gone since).
    logger.error({ err: (error as Error).message }, 'forwarding could not start');
    return 1;
  }
  const stopped = new Promise<'stop'>((resolve) => {
    if (stop.aborted) resolve('stop');
    stop.addEventListener('abort', () => resolve('stop'), { once: true });
  });
  const ended = session.done.then(
    () => 'ended' as const,
    (error: unknown) => error,
  );
  const first = await Promise.race([stopped, ended]);
  if (first === 'stop') {
    logger.info('stopping: delivering what is buffered, then saving the checkpoint');
    await forwarding.stop();
    return 0;
  }
  if (first === 'ended') return 0;
  logger.error({ err: (first as Error).message }, 'the forwarder failed');
  return 1;
}

/** The log section if it is valid, so the first lines already use it; its problems are reported with the rest. */
function validLog(file: ConfigSource | undefined) {
  const log = (file?.data as { log?: { format?: unknown; level?: unknown } } | undefined)?.log;
  const format =
    log?.format === 'json' || log?.format === 'text' ? (log.format as LogFormat) : undefined;
  const level = ['debug', 'info', 'warn', 'error'].includes(log?.level as string)
    ? (log?.level as 'debug' | 'info' | 'warn' | 'error')
    : undefined;
  return { routes: [], log: { ...(format ? { format } : {}), ...(level ? { level } : {}) } };
}

function withoutPrefix(error: Error): string {
  return error.message.replace(/^\[keventer\] /, '');
}

function version(): string {
  return (createRequire(import.meta.url)('../package.json') as { version: string }).version;
}
