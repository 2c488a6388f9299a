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
