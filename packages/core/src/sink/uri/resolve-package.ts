import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where sink packages are looked for when the caller does not say: the
 * application (the directory of its main module, as Node resolves the app's
 * own imports), then core's own location (a package installed next to core).
 * Never the working directory: a service started from `/` or from a
 * directory holding other copies would miss the app's packages or load the
 * wrong ones.
 */
export function defaultResolveDirs(mainModule: string | undefined): string[] {
  const dirs: string[] = [];
  const main = mainModule === undefined || mainModule === '' ? undefined : realPath(mainModule);
  // `node app/` runs app/index.js: the directory itself is the app's.
  if (main !== undefined) dirs.push(statSync(main).isDirectory() ? main : dirname(main));
  dirs.push(dirname(fileURLToPath(import.meta.url)));
  return [...new Set(dirs)];
}

// The main module's real path, as Node resolves its imports from (a bin
// symlink in node_modules/.bin points into the package). Undefined for a
// script that is not a file (node -e, a REPL).
function realPath(path: string): string | undefined {
  try {
    return realpathSync(resolve(path));
  } catch {
    return undefined;
  }
}

/** The first of `dirs` that has the package installed: its entry file and that directory. */
export function resolvePackageFrom(
  name: string,
  dirs: readonly string[],
): { entry: string; from: string } | undefined {
  for (const from of dirs) {
    const entry = resolvePackageEntry(name, from);
    if (entry !== undefined) return { entry, from };
  }
  return undefined;
}

/**
 * Finds the entry file of an installed package as seen from `fromDir` (the
 * app, not core: in pnpm layouts core cannot see the app's dependencies).
 * `undefined` when the package is not installed there.
 */
export function resolvePackageEntry(name: string, fromDir: string): string | undefined {
  const require = createRequire(join(resolve(fromDir), '__keventer_resolve__.js'));
  try {
    return require.resolve(name);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    // The package itself is missing (not a file it points to).
    if (code === 'MODULE_NOT_FOUND' && String((err as Error).message).includes(`'${name}'`))
      return undefined;
    // ESM-only exports (no "require"/"default" condition): read them ourselves.
    if (code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return importEntry(require, name);
    throw err;
  }
}

function importEntry(require: NodeJS.Require, name: string): string | undefined {
  const dir = (require.resolve.paths(name) ?? [])
    .map((base) => join(base, name))
    .find((d) => existsSync(join(d, 'package.json')));
  if (dir === undefined) return undefined;
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    exports?: unknown;
    main?: string;
  };
  const exported = pickImport(rootExport(manifest.exports));
  const entry = exported ?? manifest.main ?? 'index.js';
  return realpathSync(resolve(dir, entry));
}

function rootExport(exports: unknown): unknown {
  if (typeof exports !== 'object' || exports === null || Array.isArray(exports)) return exports;
  const record = exports as Record<string, unknown>;
  return Object.keys(record).some((k) => k.startsWith('.')) ? record['.'] : record;
}

function pickImport(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) return target.map(pickImport).find((t) => t !== undefined);
  if (typeof target !== 'object' || target === null) return undefined;
  const record = target as Record<string, unknown>;
  for (const condition of ['import', 'node', 'default']) {
    const picked = pickImport(record[condition]);
    if (picked !== undefined) return picked;
  }
  return undefined;
}
