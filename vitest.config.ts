import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources through the `@keventer/source`
// export condition, so no build is needed before `npm test`. Workspace packages
// imported by other packages are resolved as SSR externals, hence the ssr block.
const resolve = { conditions: ['@keventer/source'] };
/** Loads client-node before the tests, which time first connects (see the file). */
const setupFiles = ['scripts/vitest/warm-client-node.ts'];
const ssr = {
  resolve: { conditions: ['@keventer/source'], externalConditions: ['@keventer/source'] },
};

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        ssr,
        test: {
          name: 'unit',
          setupFiles,
          include: [
            'packages/*/test/**/*.test.ts',
            'examples/test/**/*.test.ts',
            'scripts/*/**/*.test.ts',
          ],
          testTimeout: 20_000,
        },
      },
      {
        resolve,
        ssr,
        test: {
          // Data sinks on real servers (MariaDB, InfluxDB): scripts/services.sh starts them.
          name: 'services',
          setupFiles,
          include: ['packages/*/services/**/*.services.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: 'e2e',
          setupFiles,
          include: ['packages/*/e2e/**/*.e2e.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
