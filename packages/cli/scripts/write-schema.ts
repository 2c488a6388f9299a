// Writes keventer.schema.json from src/config/schema.ts (a test fails when they differ).
import { writeFileSync } from 'node:fs';
import { configSchema } from '../src/config/schema.js';

const file = new URL('../keventer.schema.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(configSchema(), null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
