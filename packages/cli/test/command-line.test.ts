import { describe, expect, it } from 'vitest';
import { readCliOptions } from '../src/flags/cli-options.js';
import { ALL_FLAGS } from '../src/flags/flag-table.js';
import { parseGoDuration, parseGoFlags, UsageError } from '../src/flags/go-flags.js';
import { runCli } from './support/run-cli.js';

describe("Go's flag forms", () => {
  it('-name=value, --name=value, -name value and --name value all set a flag; list flags repeat', () => {
    const { values } = parseGoFlags(
      [
        '-sink=log',
        '--sink=console:',
        '-sink',
        'a:b',
        '--sink',
        'c:d',
        '-healthz-port=9000',
        '--healthz-ip',
        '::1',
      ],
      ALL_FLAGS,
    );
    expect(values.get('sink')).toEqual(['log', 'console:', 'a:b', 'c:d']);
    expect(values.get('healthz-port')).toBe(9000);
    expect(values.get('healthz-ip')).toBe('::1');
  });

  it("booleans as Go's strconv.ParseBool reads them, and only after '='", () => {
    const bool = (arg: string) => parseGoFlags([arg], ALL_FLAGS).values.get('event-metrics');
    expect(bool('--event-metrics')).toBe(true);
    for (const no of ['0', 'f', 'F', 'false', 'FALSE', 'False'])
      expect(bool(`--event-metrics=${no}`)).toBe(false);
    for (const yes of ['1', 't', 'T', 'true', 'TRUE', 'True'])
      expect(bool(`-event-metrics=${yes}`)).toBe(true);
    expect(() => bool('--event-metrics=no')).toThrow(
      /invalid boolean value "no" for -event-metrics/,
    );
    // Go would stop parsing at 'false' and drop the --sink after it.
    expect(() => parseGoFlags(['--event-metrics', 'false', '--sink=log'], ALL_FLAGS)).toThrow(
      /unexpected argument "false".*--event-metrics=false/,
    );
  });

  it('unknown flags, missing values and bad syntax are refused as Go refuses them', () => {
    expect(() => parseGoFlags(['--sinks=log'], ALL_FLAGS)).toThrow(
      'flag provided but not defined: -sinks',
    );
    expect(() => parseGoFlags(['--sink'], ALL_FLAGS)).toThrow('flag needs an argument: -sink');
    expect(() => parseGoFlags(['---sink=log'], ALL_FLAGS)).toThrow('bad flag syntax: ---sink=log');
    expect(() => parseGoFlags(['--healthz-port=-1'], ALL_FLAGS)).toThrow(UsageError);
    expect(parseGoFlags(['--sink=log', '--'], ALL_FLAGS).values.get('sink')).toEqual(['log']);
  });

  it("durations as Go's time.ParseDuration", () => {
    expect(parseGoDuration('30s')).toBe(30_000);
    expect(parseGoDuration('1m30s')).toBe(90_000);
    expect(parseGoDuration('1.5h')).toBe(5_400_000);
    expect(parseGoDuration('300ms')).toBe(300);
    expect(parseGoDuration('0')).toBe(0);
    expect(parseGoDuration('30')).toBeUndefined(); // Go: missing unit
    expect(parseGoDuration('')).toBeUndefined();
  });
});

describe("kube-eventer's flags", () => {
  it('have its defaults, and its checks of --frequency and --healthz-port', () => {
    const none = readCliOptions([]);
    expect(none).toMatchObject({
      sources: [],
      sinks: [],
      version: false,
      dryRun: false,
      ignored: [],
    });
    expect(none.healthzPort).toBeUndefined(); // 8084 unless the config file says otherwise
    expect(() => readCliOptions(['--frequency=4s'])).toThrow(
      'frequency needs to be no less than 5s',
    );
    expect(() => readCliOptions(['--frequency=181s'])).toThrow(
      'frequency needs to be no greater than 3m0s',
    );
    expect(() => readCliOptions(['--healthz-port=65535'])).toThrow(
      'invalid port supplied for healthz 65535',
    );
    expect(readCliOptions(['--frequency=3m']).ignored).toHaveLength(1);
  });

  it('accepts the meaningless ones and says once why they are ignored', () => {
    const { ignored } = readCliOptions([
      '--frequency=10s',
      '--max_procs=4',
      '--v=4',
      '--logtostderr',
    ]);
    expect(ignored).toHaveLength(4);
    expect(ignored[0]).toMatch(/--frequency .*batch\.timeoutMs/);
    expect(ignored[1]).toMatch(/--max_procs .*one thread/);
  });

  it('the bin: an unknown flag exits 2 with its name and the usage; --version and -h exit 0', async () => {
    const unknown = await runCli(['--source=kubernetes:', '--sinks=log']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^flag provided but not defined: -sinks\nUsage of keventer:\n/);
    expect(unknown.stderr).toContain('-healthz-port uint');
    const version = await runCli(['-version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^keventer version \d+\.\d+\.\d+/);
    const help = await runCli(['-h']);
    expect(help.code).toBe(0);
    expect(help.stderr).toMatch(/^Usage of keventer:/);
    const noSink = await runCli(['--source=kubernetes:http://127.0.0.1:1?inClusterConfig=false']);
    expect(noSink.code).toBe(1);
    expect(noSink.stderr).toMatch(/no sink: give --sink=<name>:<uri>/);
  }, 90_000);
});
