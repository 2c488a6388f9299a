import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources through the `@keventer/source`
// export condition, so no build is needed before `npm test`.
const resolve = { conditions: ['@keventer/source'] };

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'examples/test/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        resolve,
        test: {
          name: 'e2e',
          include: ['packages/*/e2e/**/*.e2e.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
