import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { AnySinkDefinition } from '../src/sink/define/define-sink.js';
import { defineSink } from '../src/sink/define/define-sink.js';
import { option } from '../src/sink/options/options.js';
import { createSinkFromUri } from '../src/sink/uri/create-from-uri.js';
import { getSinkDefinition, registerSink, unregisterSink } from '../src/sink/uri/registry.js';
import { defaultResolveDirs } from '../src/sink/uri/resolve-package.js';

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'keventer-resolve-')));
  tempDirs.push(dir);
  return dir;
}

// A sink package as plain JS (a definition-shaped object, as a package built
// against another copy of core is seen here). `copy` tells copies apart.
function writeSinkPackage(
  root: string,
  scheme: string,
  copy: string,
  description = 'A sink.',
): string {
  const dir = join(root, 'node_modules/@keventer', scheme);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: `@keventer/${scheme}`,
      version: '1.0.0',
      type: 'module',
      exports: { '.': { default: './index.js' } },
    }),
  );
  writeFileSync(
    join(dir, 'index.js'),
    `
const describe = () => ({ scheme: '${scheme}', description: ${JSON.stringify(description)}, options: [], delivery: {} });
export default Object.assign(async () => ({ name: '${copy}', async write() {} }), {
  scheme: '${scheme}',
  description: ${JSON.stringify(description)},
  options: {},
  delivery: {},
  copy: '${copy}',
  async fromUri() { return { name: '${copy}', async write() {} }; },
  describe,
});
`,
  );
  return join(dir, 'index.js');
}

/** An app: main.js next to its node_modules, as `node /srv/app/main.js` runs it. */
function app(scheme: string): { dir: string; main: string } {
  const dir = tempDir();
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', type: 'module' }));
  writeFileSync(join(dir, 'main.js'), '');
  writeSinkPackage(dir, scheme, 'app copy');
  return { dir, main: join(dir, 'main.js') };
}

// createSinkFromUri's default reads the main module and the working
// directory of this process; each test sets both and restores them.
const argv1 = process.argv[1];
const cwd = process.cwd();
afterEach(() => {
  process.argv[1] = argv1 as string;
  process.chdir(cwd);
});

function startApp(main: string, workingDir: string): void {
  process.argv[1] = main;
  process.chdir(workingDir);
}

describe('createSinkFromUri finds sink packages from the app, not the working directory', () => {
  it('loads the app its own copy, although the working directory holds another', async () => {
    const { main } = app('res-cwd-copy');
    const elsewhere = tempDir();
    writeSinkPackage(elsewhere, 'res-cwd-copy', 'working directory copy');
    startApp(main, elsewhere);
    const { sink } = await createSinkFromUri('res-cwd-copy', { env: {} });
    expect(sink.name).toBe('app copy');
  });

  it('finds the package when started from / (systemd, an image without WORKDIR)', async () => {
    const { main } = app('res-root');
    startApp(main, '/');
    const { sink } = await createSinkFromUri('res-root', { env: {} });
    expect(sink.name).toBe('app copy');
  });

  it('follows a bin symlink to the app, as Node does for the main module', async () => {
    const { main } = app('res-bin');
    const bin = join(tempDir(), 'keventer-app');
    symlinkSync(main, bin);
    startApp(bin, '/');
    const { sink } = await createSinkFromUri('res-bin', { env: {} });
    expect(sink.name).toBe('app copy');
  });

  it('searches the main module, then core, and never the working directory', () => {
    const { dir, main } = app('res-dirs');
    const coreDir = realpathSync(new URL('../src/sink/uri/', import.meta.url));
    process.chdir(tempDir());
    const dirs = defaultResolveDirs(main).map((d) => realpathSync(d));
    expect(dirs).toEqual([dir, coreDir]);
    expect(defaultResolveDirs(dir).map((d) => realpathSync(d))).toEqual([dir, coreDir]);
    // node -e, a REPL: no main module file, core's location only.
    expect(defaultResolveDirs(undefined).map((d) => realpathSync(d))).toEqual([coreDir]);
    expect(defaultResolveDirs(join(dir, 'missing.js')).map((d) => realpathSync(d))).toEqual([
      coreDir,
    ]);
  });

  it('an explicit resolveFrom is the one place searched, and named when the package is missing', async () => {
    const { main } = app('res-explicit');
    startApp(main, '/');
    const empty = tempDir();
    await expect(
      createSinkFromUri('res-explicit', { resolveFrom: empty, env: {} }),
    ).rejects.toThrow(`@keventer/res-explicit is not installed in ${empty})`);
  });

  it('names every place searched when the package is nowhere', async () => {
    const { dir, main } = app('res-other');
    startApp(main, '/');
    const error = await createSinkFromUri('res-missing', { env: {} }).catch((e: Error) => e);
    expect(String(error)).toContain(`@keventer/res-missing is not installed in ${dir} or `);
    expect(String(error)).toContain('src/sink');
  });
});

describe('the same sink loaded twice', () => {
  it("the app's own import after createSinkFromUri loaded another copy does not throw", async () => {
    const first = tempDir();
    const second = tempDir();
    writeSinkPackage(first, 'res-twice', 'first copy');
    const secondEntry = writeSinkPackage(second, 'res-twice', 'second copy');
    const loaded = await createSinkFromUri('res-twice', { resolveFrom: first, env: {} });
    // What the app's `import '@keventer/res-twice'` does with a second copy: register it.
    const copy = (await import(pathToFileURL(secondEntry).href)).default as AnySinkDefinition;
    expect(() => registerSink(copy)).not.toThrow();
    expect(getSinkDefinition('res-twice')).toBe(loaded.definition);
    expect((getSinkDefinition('res-twice') as unknown as { copy: string }).copy).toBe('first copy');
  });

  it('two copies of one defineSink sink register once; the first stays', () => {
    const spec = () =>
      defineSink({
        scheme: 'res-define-twice',
        description: 'A chat robot.',
        options: {
          level: option.enum(['Warning', 'Normal'], { default: 'Warning', description: 'x' }),
        },
        delivery: { batch: { maxEvents: 20 } },
        create: () => ({ name: 'x', async write() {} }),
      });
    const first = spec();
    expect(() => spec()).not.toThrow();
    expect(getSinkDefinition('res-define-twice')).toBe(first);
    unregisterSink('res-define-twice');
  });

  it('a different sink claiming a taken scheme is an error that says what to do', async () => {
    const first = tempDir();
    const second = tempDir();
    writeSinkPackage(first, 'res-clash', 'first');
    const otherEntry = writeSinkPackage(second, 'res-clash', 'other', 'Another sink.');
    await createSinkFromUri('res-clash', { resolveFrom: first, env: {} });
    const other = (await import(pathToFileURL(otherEntry).href)).default as AnySinkDefinition;
    expect(() => registerSink(other)).toThrow(
      "[keventer] [res-clash] the sink scheme 'res-clash' is already registered by another definition",
    );
    expect(() => registerSink(other)).toThrow("unregisterSink('res-clash')");
  });

  it('options that differ make a different sink (two versions of one package)', () => {
    const define = (maxEvents: number) =>
      defineSink({
        scheme: 'res-versions',
        description: 'A chat robot.',
        options: {},
        delivery: { batch: { maxEvents } },
        create: () => ({ name: 'x', async write() {} }),
      });
    define(20);
    expect(() => define(10)).toThrow(/already registered by another definition/);
    unregisterSink('res-versions');
  });
});
