import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        // Each file makes its own Postgres database: files run in parallel.
        test: { name: 'unit-and-gateway', include: ['src/**/*.test.ts', 'test/*.test.ts', 'test/finance/**/*.test.ts', 'test/identity/**/*.test.ts'] },
      },
      {
        extends: true,
        // One shared kube-apiserver, which one test restarts: these files run one at a time.
        test: { name: 'kubernetes', include: ['test/operator/**/*.test.ts', 'test/deploy/**/*.test.ts'], fileParallelism: false },
      },
    ],
  },
});
