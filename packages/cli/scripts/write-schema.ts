// Writes keventer.schema.json from src/config/schema.ts (a test fails when they differ),
// formatted as biome wants it, so `biome check` passes on the generated file.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configSchema } from '../src/config/schema.js';

const file = fileURLToPath(new URL('../keventer.schema.json', import.meta.url));
writeFileSync(file, `${JSON.stringify(configSchema(), null, 2)}\n`);
execFileSync('npx', ['biome', 'format', '--write', file], { stdio: 'ignore' });
console.log(`wrote ${file}`);
