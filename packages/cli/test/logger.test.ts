import { describe, expect, it } from 'vitest';
import { createLogger, defaultLogFormat } from '../src/log/logger.js';

function capture() {
  const lines: string[] = [];
  return { lines, output: { write: (line: string) => lines.push(line) } };
}

describe('the logger', () => {
  it('writes JSON lines: level, time, msg, then the fields; errors as their message', () => {
    const { lines, output } = capture();
    const logger = createLogger('json', 'info', output);
    logger.warn({ route: 'oncall', err: new Error('HTTP 503') }, 'delivery failed');
    const line = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(Object.keys(line)).toEqual(['level', 'time', 'msg', 'route', 'err']);
    expect(line).toMatchObject({
      level: 'warn',
      msg: 'delivery failed',
      route: 'oncall',
      err: 'HTTP 503',
    });
    expect(new Date(line.time as string).getTime()).not.toBeNaN();
    expect(lines[0]?.endsWith('\n')).toBe(true);
  });

  it('writes text lines, and leaves out what is below the level', () => {
    const { lines, output } = capture();
    const logger = createLogger('text', 'warn', output);
    logger.debug('hidden');
    logger.info({ a: 1 }, 'hidden too');
    logger.error({ route: 'r', tries: 3 }, 'gave up');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z ERROR gave up route=r tries=3\n$/);
  });

  it('is JSON by default when the output is not a terminal', () => {
    expect(defaultLogFormat({ write: () => true })).toBe('json');
    expect(defaultLogFormat({ write: () => true, isTTY: true })).toBe('text');
  });
});
