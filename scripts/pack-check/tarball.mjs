// What a published tarball must hold, and must not: checked from its file
// list and its package.json and README.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The paths in a .tgz, without the `package/` prefix. */
export async function listTarball(tarball) {
  const { stdout } = await run('tar', ['-tzf', tarball], { maxBuffer: 16 * 1024 * 1024 });
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/^package\//, ''));
}

/** Problems with a tarball (empty when it is fine). */
export function checkTarball(files, texts) {
  const problems = [];
  const manifest = JSON.parse(texts['package/package.json']);
  const readme = texts['package/README.md'];
  for (const required of ['package.json', 'README.md', 'LICENSE']) {
    if (!files.includes(required)) problems.push(`${required} is missing`);
  }
  for (const built of ['dist/index.js', 'dist/index.d.ts']) {
    if (!files.includes(built)) problems.push(`${built} is missing (was the package built?)`);
  }
  const buildInfo = files.filter((f) => f.endsWith('.tsbuildinfo'));
  if (buildInfo.length > 0) problems.push(`ships ${buildInfo.join(', ')}`);
  const raw = texts['package/package.json'];
  if (raw.includes('workspace:')) problems.push('package.json still has workspace: ranges');
  if (!String(manifest.repository?.url ?? '').includes('github.com/keventer/keventer'))
    problems.push('repository.url is missing');
  if (manifest.homepage === undefined) problems.push('homepage is missing');
  if (manifest.bugs === undefined) problems.push('bugs is missing');
  // Links into the repository do not resolve on npm: they must be absolute.
  const relative = [...readme.matchAll(/\]\((\.\.?\/[^)]*)\)/g)].map((m) => m[1]);
  if (relative.length > 0)
    problems.push(`README links outside the tarball: ${relative.join(', ')}`);
  return problems;
}
