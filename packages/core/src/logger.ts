import { hasMethods, isRecord, type OptionProblems } from './options-check.js';

/**
 * The logger keventer writes to: pino's call shape (`logger.warn(obj, msg)` or
 * `logger.warn(msg)`), so a pino logger can be passed as is. Quiet by default.
 */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

/** The methods a logger must have. */
export const LOGGER_METHODS = ['debug', 'info', 'warn', 'error'] as const;

const noop = () => {};

export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

/** A logger that writes one line per call to stderr, for CLIs and demos. */
export function consoleLogger(level: 'debug' | 'info' | 'warn' | 'error' = 'info'): Logger {
  const order = ['debug', 'info', 'warn', 'error'] as const;
  const min = order.indexOf(level);
  const make = (name: (typeof order)[number]) =>
    order.indexOf(name) < min
      ? noop
      : (obj: object | string, msg?: string) => {
          const text = typeof obj === 'string' ? obj : `${msg ?? ''} ${JSON.stringify(obj)}`;
          process.stderr.write(`[keventer] ${name}: ${text}\n`);
        };
  return { debug: make('debug'), info: make('info'), warn: make('warn'), error: make('error') };
}

/**
 * The logger with every method guarded: a call that throws is reported to
 * `onError` and its line is lost. It never throws into the delivery engine,
 * and the failure is never logged through the same logger (that would recurse).
 */
export function guardLogger(logger: Logger, onError: (error: unknown) => void): Logger {
  const guard =
    (name: (typeof LOGGER_METHODS)[number]) =>
    (obj: object | string, msg?: string): void => {
      try {
        if (msg === undefined) logger[name](obj);
        else logger[name](obj, msg);
      } catch (error) {
        onError(error);
      }
    };
  return { debug: guard('debug'), info: guard('info'), warn: guard('warn'), error: guard('error') };
}

/**
 * Checks a `logger` option where it is given (undefined is fine: silent), so
 * `logger: consoleLogger` (the factory, not a logger) fails at once, not on
 * the first warning.
 */
export function checkLogger(path: string, logger: unknown, problems: OptionProblems): void {
  if (logger === undefined || hasMethods(logger, LOGGER_METHODS)) return;
  const expected = `a logger: an object with ${LOGGER_METHODS.join(', ')} methods (pino works as is)`;
  if (typeof logger === 'function') {
    const call = logger.name ? `${logger.name}()` : 'its result';
    problems.add(path, logger, expected, `; did you mean to pass ${call}, the logger it makes?`);
    return;
  }
  const missing = isRecord(logger)
    ? LOGGER_METHODS.filter((name) => typeof logger[name] !== 'function')
    : [];
  problems.add(path, logger, expected, missing.length > 0 ? `; missing ${missing.join(', ')}` : '');
}
