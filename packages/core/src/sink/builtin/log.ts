import { eventTime, objectRef, oneLine } from '../../event/format.js';
import type { KubeEvent } from '../../event/model.js';
import { defineSink } from '../define/define-sink.js';
import { option } from '../options/options.js';

/** A function, or any logger with `info(msg)` (core's Logger, pino, console). */
export type BatchLogger = ((text: string) => void) | { info(text: string): void };

const isBatchLogger = (value: unknown): value is BatchLogger =>
  typeof value === 'function' ||
  (typeof value === 'object' &&
    value !== null &&
    typeof (value as { info?: unknown }).info === 'function');

/**
 * kube-eventer's `log` sink: each batch is one log call, a header line then
 * one line per event. Handy to see what a pipeline forwards.
 */
export const logSink = defineSink({
  scheme: 'log',
  description: "Logs each batch as one multi-line message, like kube-eventer's log sink.",
  options: {
    logger: option.custom(isBatchLogger, {
      description: 'Receives each batch as one string (default: console.log).',
      accepts: 'a function (text: string) => void or a logger with info()',
    }),
  },
  delivery: { batch: { maxEvents: 1000, timeoutMs: 1000 } },
  create(options) {
    const given = options.logger;
    // console.log is looked up per call so a later replacement (tests, shippers) is used.
    const logger =
      given === undefined
        ? (text: string) => console.log(text)
        : typeof given === 'function'
          ? given
          : (text: string) => given.info(text);
    return {
      name: 'log',
      async write(batch) {
        if (batch.length > 0) logger(formatLogBatch(batch, new Date()));
      },
    };
  },
});

/**
 * kube-eventer's layout (`EventBatch     Timestamp:` with its five spaces, so
 * existing log greps keep matching; then `<time> (cnt:N): <message>`), with
 * the object in front instead of Go's struct dump.
 */
export function formatLogBatch(batch: readonly KubeEvent[], at: Date): string {
  const lines = [`EventBatch     Timestamp: ${at.toISOString()}`];
  for (const e of batch) {
    const what = oneLine(`${e.type} ${e.reason}`);
    lines.push(
      `   ${what} ${objectRef(e)}   ${eventTime(e)} (cnt:${e.count}): ${oneLine(e.message)}`,
    );
  }
  return lines.join('\n');
}
