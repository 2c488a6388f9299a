import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const here = (path: string) => new URL(`../${path}`, import.meta.url).pathname;

describe('examples', () => {
  it('the forwarder example stays within 15 lines of user code', async () => {
    const source = await readFile(here('forwarder.ts'), 'utf8');
    const code = source
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.trim().startsWith('//'));
    expect(code.length).toBeLessThanOrEqual(15);
  });

  it('npm run demo forwards the scenario and accounts for every occurrence', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', '--conditions=@keventer/source', here('demo.ts'), '--speed', '200'],
      { timeout: 60_000 },
    );
    const number = (label: string) => Number(new RegExp(`\\b${label}\\s+(\\d+)`).exec(stdout)?.[1]);
    const occurrences = Number(/: (\d+) event occurrences/.exec(stdout)?.[1]);
    expect(occurrences).toBeGreaterThan(50);
    expect(number('received')).toBe(occurrences);
    expect(number('filtered out') + number('deduplicated') + number('forwarded')).toBe(occurrences);
    expect(number('forwarded')).toBeGreaterThan(0);
    expect(stdout).toMatch(/Warning\s+BackOff\s+Pod /);
    expect(stdout).toMatch(/1 reconnects/);
    expect(number('undelivered')).toBe(0);
    // The DingTalk group: every Warning accounted for, repeats digested, the robot never refused.
    const warnings = number('warnings');
    expect(warnings).toBeGreaterThan(0);
    expect(number('delivered')).toBe(warnings);
    expect(number('digested')).toBeGreaterThan(0);
    expect(number('messages')).toBeLessThan(warnings);
    expect(stdout).toMatch(/0 dead-lettered, 0 dropped/);
    expect(stdout).toMatch(/\nRepeated: \d+ more times? (from|at) /);
  });
});
