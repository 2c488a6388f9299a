// npm run api-report: writes packages/<pkg>/api-report.md for every published
// package from its sources. Review the diff: it is the change of the public API.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiReports, repositoryRoot } from './report.js';

for (const report of apiReports(repositoryRoot)) {
  const path = join(repositoryRoot, report.path);
  let before = '';
  try {
    before = readFileSync(path, 'utf8');
  } catch {}
  if (before === report.text) continue;
  writeFileSync(path, report.text);
  console.log(`updated ${report.path}`);
}
