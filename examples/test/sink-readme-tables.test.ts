import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readmePath, SINKS, withOptions } from '../../scripts/sink-readme-tables.js';

// npm shows a package's README, so each sink's options table lives there,
// rendered from describe(). A stale table fails here: run `npm run readme:tables`.
describe("each sink package's README has the options table describe() renders now", () => {
  it.each(SINKS.map((d) => [d.scheme, d] as const))('@keventer/%s', (_scheme, definition) => {
    const readme = readFileSync(readmePath(definition.scheme), 'utf8');
    expect(readme, 'stale options table: run npm run readme:tables').toBe(
      withOptions(readme, definition.describe()),
    );
    for (const option of definition.describe().options)
      expect(readme).toContain(`\`${option.name}\``);
  });
});
