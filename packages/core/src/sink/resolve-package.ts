import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

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
