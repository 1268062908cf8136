import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Tests run against each package's sources, so `pnpm test` never sees a stale build of a sibling. */
const sourceAliases = [
  { find: /^@osiris\/(core|connector-[a-z]+|cli)$/, replacement: here('./packages/$1/src/index.ts') },
];

const packages = [
  'core',
  'connector-testkit',
  'connector-fs',
  'connector-mysql',
  'connector-supabase',
  'connector-postgres',
  'cli',
];

export default defineConfig({
  test: {
    reporters: ['default', here('./tooling/vitest/summary-reporter.ts')],
    projects: [
      ...packages.map((dir) => ({
        resolve: { alias: sourceAliases },
        test: {
          name: `@osiris/${dir}`,
          root: here(`./packages/${dir}`),
          include: ['test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      })),
      {
        resolve: { alias: sourceAliases },
        test: {
          name: '@osiris/example-pipeline',
          root: here('./examples/pipeline'),
          include: ['test/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
