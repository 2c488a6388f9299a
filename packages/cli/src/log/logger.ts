import type { Logger } from '@keventer/core';
import type { LogFormat, LogLevel } from '../flags/cli-options.js';

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export interface LogOutput {
  write(line: string): unknown;
  readonly isTTY?: boolean;
}

/** JSON lines when the output is not a terminal (a pod's log collector), text otherwise. */
export function defaultLogFormat(output: LogOutput): LogFormat {
  return output.isTTY ? 'text' : 'json';
}

/**
 * A pino-compatible logger writing one line per call: JSON
 * (`{"level":"warn","time":"...","msg":"...",...fields}`) or text
 * (`2026-01-01T00:00:00.000Z WARN  msg key=value`). Core redacts what it logs.
 */
export function createLogger(format: LogFormat, level: LogLevel, output: LogOutput): Logger {
  const min = LEVELS.indexOf(level);
  const make = (name: LogLevel) => {
    if (LEVELS.indexOf(name) < min) return () => {};
    return (obj: object | string, msg?: string): void => {
      const fields = typeof obj === 'string' ? {} : plain(obj);
      const text = typeof obj === 'string' ? obj : (msg ?? '');
      const time = new Date().toISOString();
      output.write(
        format === 'json'
          ? `${JSON.stringify({ level: name, time, msg: text, ...fields })}\n`
          : `${time} ${name.toUpperCase().padEnd(5)} ${text}${showFields(fields)}\n`,
      );
    };
  };
  return { debug: make('debug'), info: make('info'), warn: make('warn'), error: make('error') };
}

/** Errors as their message (and code): JSON.stringify shows an Error as {}. */
function plain(obj: object): Record<string, unknown> {
  if (obj instanceof Error) return { err: obj.message };
  return Object.fromEntries(
    Object.entries(obj).map(([key, value]) => [
      key,
      value instanceof Error ? value.message : value,
    ]),
  );
}

function showFields(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .map(([key, value]) => ` ${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('');
}
