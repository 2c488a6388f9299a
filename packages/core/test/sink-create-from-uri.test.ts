import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { consoleSink } from '../src/sink/builtin/console.js';
import { logSink } from '../src/sink/builtin/log.js';
import { SinkConfigError } from '../src/sink/contract/errors.js';
import { defineSink } from '../src/sink/define/define-sink.js';
import { option } from '../src/sink/options/options.js';
import { createSinkFromUri } from '../src/sink/uri/create-from-uri.js';
import { getSinkDefinition } from '../src/sink/uri/registry.js';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
const CREATE_FROM_URI = new URL('../src/sink/uri/create-from-uri.ts', import.meta.url).href;

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function tempApp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keventer-sinks-'));
  tempDirs.push(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', type: 'module' }));
  return dir;
}

// A sink package as plain JS. It cannot import this repo's TypeScript core,
// so it exports a definition-shaped object, like a package built against
// another copy of @keventer/core would be seen here.
function fakeSinkSource(scheme: string, exportAs: 'default' | 'sink' = 'default'): string {
  return `
const definition = Object.assign(async () => ({ name: '${scheme}', async write() {} }), {
  scheme: '${scheme}',
  description: 'A fake sink package.',
  options: {},
  delivery: { batch: { maxEvents: 7 } },
  async fromUri(uri) {
    return { name: '${scheme}', target: uri.target, params: Object.fromEntries(uri.params), async write() {} };
  },
  describe() {
    return { scheme: '${scheme}', description: 'A fake sink package.', options: [], delivery: {} };
  },
});
${exportAs === 'default' ? 'export default definition;' : 'export const sink = definition;'}
`;
}

function writePackage(dir: string, name: string, exports: unknown, source: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name, version: '1.0.0', type: 'module', exports }),
  );
  writeFileSync(join(dir, 'index.js'), source);
}

describe('createSinkFromUri: registered and built-in sinks', () => {
  it('uses a definition from the registry and returns the delivery keys', async () => {
    const definition = defineSink({
      scheme: 'cfu-registered',
      description: 'x',
      options: {
        level: option.enum(['Warning', 'Normal'], { default: 'Warning', description: 'x' }),
      },
      create: (o) => ({ name: `cfu-registered/${o.level}`, async write() {} }),
    });
    const created = await createSinkFromUri('cfu-registered:?level=Normal&batch.maxEvents=50', {
      env: {},
    });
    expect(created.definition).toBe(definition);
    expect(created.sink.name).toBe('cfu-registered/Normal');
    expect(created.delivery).toEqual({ 'batch.maxEvents': '50' });
    expect(created.uri.scheme).toBe('cfu-registered');
  });

  it('knows log and console without any package', async () => {
    expect((await createSinkFromUri('log', { env: {} })).definition).toBe(logSink);
    expect((await createSinkFromUri('console:?color=never', { env: {} })).definition).toBe(
      consoleSink,
    );
  });

  it('a sink that fails to build is an error naming the URI, never skipped', async () => {
    const result = createSinkFromUri('console:?color=sometimes', { env: {} });
    await expect(result).rejects.toThrow(SinkConfigError);
    await expect(result).rejects.toThrow(
      "[keventer] [console] option 'color': 'sometimes' is not accepted; expected one of auto, always, never (case-sensitive) in 'console:?color=sometimes'",
    );
  });

  it('expands env variables from the given env', async () => {
    const created = await createSinkFromUri('console:?color=$COLOR', { env: { COLOR: 'never' } });
    expect(created.sink.name).toBe('console');
    await expect(createSinkFromUri('console:?color=$COLOR', { env: {} })).rejects.toThrow(
      'environment variable $COLOR is not set',
    );
  });
});

describe('createSinkFromUri: sink packages', () => {
  it('imports @keventer/<scheme> resolved from the app directory and registers it', async () => {
    const app = tempApp();
    writePackage(
      join(app, 'node_modules/@keventer/fake-sink'),
      '@keventer/fake-sink',
      { '.': { default: './index.js' } },
      fakeSinkSource('fake-sink'),
    );
    expect(getSinkDefinition('fake-sink')).toBeUndefined();
    const created = await createSinkFromUri(
      'fake-sink:http://collector:4318?mode=fast&buffer.maxEvents=9',
      {
        resolveFrom: app,
        env: {},
      },
    );
    expect(created.sink).toMatchObject({
      name: 'fake-sink',
      target: 'http://collector:4318',
      params: { mode: ['fast'] },
    });
    expect(created.delivery).toEqual({ 'buffer.maxEvents': '9' });
    expect(created.definition.delivery).toEqual({ batch: { maxEvents: 7 } });
    expect(getSinkDefinition('fake-sink')).toBe(created.definition);
  });

  it('finds a package through a pnpm-style symlink, as a named `sink` export with ESM-only exports', async () => {
    const app = tempApp();
    const store = join(
      app,
      'node_modules/.pnpm/@keventer+fake-pnpm@1.0.0/node_modules/@keventer/fake-pnpm',
    );
    // Only an "import" condition: require.resolve cannot use it, the fallback reads it.
    writePackage(
      store,
      '@keventer/fake-pnpm',
      { '.': { import: './index.js' } },
      fakeSinkSource('fake-pnpm', 'sink'),
    );
    mkdirSync(join(app, 'node_modules/@keventer'), { recursive: true });
    symlinkSync(store, join(app, 'node_modules/@keventer/fake-pnpm'), 'dir');
    const created = await createSinkFromUri('fake-pnpm:?a=1', { resolveFrom: app, env: {} });
    expect(created.sink.name).toBe('fake-pnpm');
  });

  it('refuses a package that exports no definition, or one for another scheme', async () => {
    const app = tempApp();
    writePackage(
      join(app, 'node_modules/@keventer/fake-empty'),
      '@keventer/fake-empty',
      './index.js',
      'export const x = 1;',
    );
    writePackage(
      join(app, 'node_modules/@keventer/fake-wrong'),
      '@keventer/fake-wrong',
      './index.js',
      fakeSinkSource('fake-other'),
    );
    await expect(createSinkFromUri('fake-empty', { resolveFrom: app, env: {} })).rejects.toThrow(
      /@keventer\/fake-empty \(.*index\.js\) exports no sink definition/,
    );
    await expect(createSinkFromUri('fake-wrong', { resolveFrom: app, env: {} })).rejects.toThrow(
      "@keventer/fake-wrong defines the sink 'fake-other', not 'fake-wrong'",
    );
  });

  it('a package that throws on import is reported with its path', async () => {
    const app = tempApp();
    writePackage(
      join(app, 'node_modules/@keventer/fake-broken'),
      '@keventer/fake-broken',
      './index.js',
      "throw new Error('missing peer dependency kafkajs');",
    );
    await expect(createSinkFromUri('fake-broken', { resolveFrom: app, env: {} })).rejects.toThrow(
      /could not load @keventer\/fake-broken from .*index\.js: missing peer dependency kafkajs/,
    );
  });

  it('a kube-eventer sink whose package is missing says which package to install', () => {
    // In a plain Node process: inside vitest every workspace package resolves from anywhere.
    const app = tempApp();
    const script = `
      const { createSinkFromUri } = await import(${JSON.stringify(CREATE_FROM_URI)});
      await createSinkFromUri('riemann:?host=riemann:5555&password=TOKEN-XYZ', { resolveFrom: process.cwd(), env: {} })
        .then(() => console.log('created'), (error) => console.log(error.message));`;
    const output = execFileSync(
      process.execPath,
      ['--import', TSX, '--input-type=module', '-e', script],
      {
        cwd: app,
        encoding: 'utf8',
        env: { ...process.env, NODE_PATH: '' },
      },
    );
    expect(output).toContain(
      "[keventer] [riemann] sink 'riemann' needs the package @keventer/riemann: npm i @keventer/riemann",
    );
    expect(output).not.toContain('TOKEN-XYZ');
  });

  it('an unknown sink name lists the known ones and suggests the closest', async () => {
    const app = tempApp();
    const error = await createSinkFromUri('dingtak:https://h', { resolveFrom: app, env: {} }).then(
      () => {
        throw new Error('expected a rejection');
      },
      (err: unknown) => err as SinkConfigError,
    );
    expect(error).toBeInstanceOf(SinkConfigError);
    expect(error.message).toContain(
      "unknown sink 'dingtak' (did you mean 'dingtalk'?); known sinks: ",
    );
    for (const scheme of [
      'console',
      'log',
      'dingtalk',
      'wechat',
      'webhook',
      'sls',
      'elasticsearch',
      'kafka',
      'influxdb',
      'mysql',
      'mongo',
      'honeycomb',
      'eventbridge',
      'riemann',
    ]) {
      expect(error.message).toContain(scheme);
    }
    expect(error.message).toContain('@keventer/<name>');
  });
});
