import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiReports, repositoryRoot } from './report.js';

// The committed reports are the reviewed public API. When the sources export
// something else, this fails until someone regenerates the reports, so the
// change of the public surface shows in the diff of the pull request.
describe('the committed API reports', () => {
  it('match what the sources of every published package export', () => {
    const stale = apiReports(repositoryRoot)
      .filter((report) => {
        const path = join(repositoryRoot, report.path);
        return !existsSync(path) || readFileSync(path, 'utf8') !== report.text;
      })
      .map((report) => report.path);
    expect(
      stale,
      'these differ from what the sources export: run `npm run api-report` and review the diff (it is a change of the public API)',
    ).toEqual([]);
  }, 120_000);
});
