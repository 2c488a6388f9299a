// Installs the workspace with pnpm when node_modules is missing or older than
// the lockfile, so that `npm test` and `npm run demo` work on a fresh clone with
// only Node and npm. pnpm is bootstrapped through npx: no global install needed.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const marker = `${root}node_modules/.modules.yaml`;
const lockfile = `${root}pnpm-lock.yaml`;

const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : 0);
if (mtime(marker) === 0 || mtime(marker) < mtime(lockfile)) {
  const frozen = existsSync(lockfile) ? ['--frozen-lockfile'] : [];
  console.error('[keventer] installing dependencies with pnpm 10.33.1 ...');
  execFileSync('npx', ['--yes', 'pnpm@10.33.1', 'install', ...frozen], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}
