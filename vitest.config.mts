import path from 'node:path';
import { defineConfig } from 'vitest/config';

const ROOTS = '{lib,components,app,bin,scripts,lab,deploy}';

export default defineConfig({
  resolve: {
    alias: {
      '@': path.resolve(import.meta.dirname),
      // Outside Next's server bundle `server-only` would throw; tests are server code too.
      'server-only': path.resolve(import.meta.dirname, 'node_modules/server-only/empty.js'),
    },
  },
  test: {
    environment: 'node',
    setupFiles: ['./vitest.setup.ts'],
    projects: [
      // Pure and local tests: anywhere, fast.
      {
        extends: true,
        test: { name: 'unit', include: [`${ROOTS}/**/*.test.{ts,tsx}`], exclude: ['**/*.lab.test.ts', '**/node_modules/**'] },
      },
      // Tests against the running lab: only from inside its host namespace, one file at a time.
      {
        extends: true,
        test: {
          name: 'lab',
          include: [`${ROOTS}/**/*.lab.test.ts`],
          globalSetup: ['./lab/test-setup.mts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
