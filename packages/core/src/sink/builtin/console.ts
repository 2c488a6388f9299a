import { once } from 'node:events';
import { eventTime, objectRef, oneLine } from '../../event/format.js';
import type { KubeEvent } from '../../event/model.js';
import { defineSink } from '../define/define-sink.js';
import { option } from '../options/options.js';

/** What the console sink writes to; process.stdout and fs write streams fit. */
export interface TextStream {
  write(chunk: string): boolean;
  readonly isTTY?: boolean;
}

const isTextStream = (value: unknown): value is TextStream =>
  typeof value === 'object' && value !== null && typeof (value as TextStream).write === 'function';

/** Readable output for people at a terminal: one aligned line per event. */
export const consoleSink = defineSink({
  scheme: 'console',
  description: 'Prints one readable line per event, coloured on a terminal.',
  options: {
    color: option.enum(['auto', 'always', 'never'], {
      default: 'auto',
      description: 'ANSI colours; auto = when the stream is a TTY and NO_COLOR is not set.',
    }),
    time: option.enum(['local', 'utc'], {
      default: 'local',
      description: 'Clock of the time column.',
    }),
    stream: option.custom(isTextStream, {
      description: 'Where lines go (default: process.stdout).',
      accepts: 'a writable stream',
    }),
  },
  delivery: { batch: { maxEvents: 100, timeoutMs: 200 } },
  create(options, ctx) {
    const stream = options.stream ?? process.stdout;
    const noColor = (ctx.env.NO_COLOR ?? '') !== '';
    const color =
      options.color === 'always' || (options.color === 'auto' && stream.isTTY === true && !noColor);
    const format = { color, utc: options.time === 'utc' };
    return {
      name: 'console',
      async write(batch, { signal }) {
        if (batch.length === 0) return;
        const text = `${batch.map((e) => formatConsoleLine(e, format)).join('\n')}\n`;
        // Respect backpressure when stdout is a slow pipe.
        if (!stream.write(text) && hasEvents(stream)) await once(stream, 'drain', { signal });
      },
    };
  },
});

const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
const COLORS: Record<string, string> = { Normal: '\x1b[32m', Warning: '\x1b[33m' };
const OTHER_TYPE = '\x1b[35m';

/** `12:00:01 Warning  BackOff           Pod shop/web-1  Back-off restarting failed container (x5)` */
export function formatConsoleLine(
  event: KubeEvent,
  format: { color: boolean; utc: boolean },
): string {
  const paint = (text: string, code: string) => (format.color ? `${code}${text}${RESET}` : text);
  const time = paint(clock(eventTime(event), format.utc), DIM);
  // Pad before painting so escape codes do not shift the columns.
  const type = paint(oneLine(event.type || '-').padEnd(8), COLORS[event.type] ?? OTHER_TYPE);
  const reason = oneLine(event.reason || '-').padEnd(17);
  const count = event.count > 1 ? ` (x${event.count})` : '';
  return `${time} ${type} ${reason} ${objectRef(event)}  ${oneLine(event.message)}${count}`;
}

function clock(iso: string, utc: boolean): string {
  const at = new Date(iso);
  if (iso === '' || Number.isNaN(at.getTime())) return '--:--:--';
  const parts = utc
    ? [at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds()]
    : [at.getHours(), at.getMinutes(), at.getSeconds()];
  return parts.map((n) => String(n).padStart(2, '0')).join(':');
}

function hasEvents(stream: TextStream): stream is TextStream & NodeJS.EventEmitter {
  return typeof (stream as Partial<NodeJS.EventEmitter>).once === 'function';
}
